namespace ArchGan;

/// <summary>A hyperparameter, preset or option has a value that is not allowed. The message names all three parts.</summary>
public sealed class HyperparameterException : ArgumentException
{
    public HyperparameterException(string field, object? value, string allowed)
        : base($"{field} = {value ?? "null"} is not allowed; expected {allowed}.", field)
    {
        Field = field;
        Value = value;
        Allowed = allowed;
    }

    /// <summary>The field (or option) that was wrong.</summary>
    public string Field { get; }
    /// <summary>The value it was given.</summary>
    public object? Value { get; }
    /// <summary>What it may be.</summary>
    public string Allowed { get; }
}
