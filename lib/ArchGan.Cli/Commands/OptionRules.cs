using System.CommandLine;

namespace ArchGan.Cli.Commands;

/// <summary>
/// Bounds on numeric options, checked when the command line is parsed: a value out of range is one error line
/// naming the option, the value and what is allowed, before any work starts.
/// </summary>
internal static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int minimum) =>
        option.Within(minimum, int.MaxValue, $"at least {minimum}");

    public static Option<int> Within(this Option<int> option, int minimum, int maximum) =>
        option.Within(minimum, maximum, $"{minimum} to {maximum}");

    private static Option<int> Within(this Option<int> option, int minimum, int maximum, string allowed)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
                result.AddError($"{option.Name} = {value} is not allowed; expected {allowed}.");
        });
        return option;
    }
}
