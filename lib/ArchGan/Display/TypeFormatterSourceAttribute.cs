namespace ArchGan.Display;

/// <summary>
/// Tells .NET Interactive's Formatter how to show a type, without this library referencing any .NET Interactive
/// package: the Formatter looks for an attribute with exactly this name (in any namespace) whose constructor takes
/// the formatter source type, and calls that type's <c>CreateTypeFormatters()</c>. The Polyglot Notebooks kernel and
/// the ArchGan notebook runner both honour it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    /// <summary>A class with a parameterless constructor and <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c>.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>The mime types a notebook should ask for when it displays a value of the type.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
