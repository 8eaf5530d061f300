using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ArchGan.Data;

namespace ArchGan.Cli.Commands;

/// <summary>
/// One command-line option per field of <see cref="Hyperparameters"/> (<c>ImageSize</c> becomes
/// <c>--image-size</c>), made by reflection so a new field is settable without touching the command line.
/// </summary>
internal sealed class HyperparameterOptions
{
    private static readonly PropertyInfo[] Fields = typeof(Hyperparameters)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetMethod!.IsPublic)
        .ToArray();

    private readonly Dictionary<PropertyInfo, Option<string>> options = new();

    public Option<string> Preset { get; }

    public HyperparameterOptions(Command command, string defaultPreset = "quick")
    {
        Preset = new Option<string>("--preset", "-p")
        {
            Description = $"Starting recipe: {string.Join(", ", Hyperparameters.Presets.Keys)}. Options below override its fields.",
            DefaultValueFactory = _ => defaultPreset,
        };
        command.Add(Preset);
        foreach (var field in Fields)
        {
            var option = new Option<string>(OptionName(field.Name))
            {
                Description = $"{field.Name} ({Describe(field.PropertyType)}); quick: {field.GetValue(Hyperparameters.Quick)}, article: {field.GetValue(Hyperparameters.Article)}",
                HelpName = "value",
            };
            options[field] = option;
            command.Add(option);
        }
    }

    /// <summary>"ImageSize" → "--image-size".</summary>
    public static string OptionName(string field) => "--" + Regex.Replace(field, "(?<!^)([A-Z])", "-$1").ToLowerInvariant();

    /// <summary>The preset with every given option applied, checked.</summary>
    /// <exception cref="HyperparameterException">An unknown preset, or a value that does not parse or is not allowed.</exception>
    public Hyperparameters Read(ParseResult result)
    {
        var hp = Hyperparameters.Preset(result.GetValue(Preset)!) with { };
        foreach (var (field, option) in options)
        {
            var text = result.GetValue(option);
            if (text is null) continue;
            field.SetValue(hp, Parse(field, text));
        }
        return hp.Validate();
    }

    /// <summary>Only the fields given on the command line, as (field, value) pairs: what `train --resume` may change.</summary>
    public IEnumerable<(string Field, object Value)> Given(ParseResult result) =>
        options.Where(o => result.GetValue(o.Value) is not null)
            .Select(o => (o.Key.Name, Parse(o.Key, result.GetValue(o.Value)!)));

    /// <summary>
    /// <paramref name="hp"/> with one field set from text: the field named as a property (<c>EmaDecay</c>) or
    /// an option (<c>ema-decay</c>, <c>--ema-decay</c>), the value as on the command line.
    /// </summary>
    /// <exception cref="HyperparameterException">No such field, or a value that does not parse.</exception>
    public static Hyperparameters With(Hyperparameters hp, string field, string text)
    {
        var key = field.TrimStart('-').Replace("-", "");
        var property = Fields.FirstOrDefault(f => string.Equals(f.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new HyperparameterException("field", field, "a hyperparameter: " + string.Join(", ", Fields.Select(f => f.Name)));
        var copy = hp with { };
        property.SetValue(copy, Parse(property, text));
        return copy;
    }

    /// <summary>"center-crop", "CenterCrop", "pad", "stretch" → the resize mode.</summary>
    public static ResizeMode ParseResize(string text) =>
        (ResizeMode)Parse(typeof(Hyperparameters).GetProperty(nameof(Hyperparameters.Resize))!, text);

    private static object Parse(PropertyInfo field, string text)
    {
        var type = field.PropertyType;
        object? value = type switch
        {
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when type == typeof(string) => text,
            _ when type.IsEnum => Enum.TryParse(type, text.Replace("-", ""), ignoreCase: true, out var e) && Enum.IsDefined(type, e!) ? e : null,
            _ => null,
        };
        return value ?? throw new HyperparameterException(OptionName(field.Name), text, Describe(type));
    }

    private static string Describe(Type type) =>
        type == typeof(int) ? "an integer"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a text"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => Regex.Replace(n, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant()))
        : type.Name;
}
