using System.CommandLine;

namespace ArchGan.Cli.Commands;

/// <summary>
/// One command-line option per field of <see cref="Hyperparameters"/> (<c>ImageSize</c> becomes
/// <c>--image-size</c>), made from <see cref="Hyperparameters.Fields"/> so a new field is settable without
/// touching the command line. The text of each option is parsed by <see cref="Hyperparameters.With"/>.
/// </summary>
internal sealed class HyperparameterOptions
{
    private readonly Dictionary<string, Option<string>> options = new();

    public Option<string> Preset { get; }

    public HyperparameterOptions(Command command, string defaultPreset = "quick")
    {
        Preset = new Option<string>("--preset", "-p")
        {
            Description = $"Starting recipe: {string.Join(", ", Hyperparameters.Presets.Keys)}. Options below override its fields.",
            DefaultValueFactory = _ => defaultPreset,
        };
        command.Add(Preset);
        foreach (var field in Hyperparameters.Fields)
        {
            var property = typeof(Hyperparameters).GetProperty(field)!;
            var option = new Option<string>(Hyperparameters.OptionName(field))
            {
                Description = $"{field} ({Hyperparameters.Expected(field)}); quick: {property.GetValue(Hyperparameters.Quick)}, article: {property.GetValue(Hyperparameters.Article)}",
                HelpName = "value",
            };
            options[field] = option;
            command.Add(option);
        }
    }

    /// <summary>The preset with every given option applied, checked.</summary>
    /// <exception cref="HyperparameterException">An unknown preset, or a value that does not parse or is not allowed.</exception>
    public Hyperparameters Read(ParseResult result)
    {
        var hp = Hyperparameters.Preset(result.GetValue(Preset)!);
        foreach (var (field, text) in Given(result))
            hp = hp.With(field, text);
        return hp.Validate();
    }

    /// <summary>Only the fields given on the command line, as (field, text) pairs: what `train --resume` asks to change.</summary>
    public IEnumerable<(string Field, string Text)> Given(ParseResult result) =>
        options.Where(o => result.GetValue(o.Value) is not null)
            .Select(o => (o.Key, result.GetValue(o.Value)!));
}
