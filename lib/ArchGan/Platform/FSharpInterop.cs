using System.Reflection;
using Microsoft.FSharp.Core;

namespace ArchGan.Platform;

/// <summary>
/// Calls Plotly.NET's F# methods from C#. Their optional arguments compile to plain
/// <see cref="FSharpOption{T}"/> parameters that C# cannot leave out, and a chart method has dozens; this
/// passes the named ones (wrapped in Some when the parameter is an option) and None for the rest.
/// </summary>
internal static class FSharpInterop
{
    public static object Call(Type type, string name, Type[] typeArguments, params (string Name, object? Value)[] arguments)
    {
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == name && m.GetGenericArguments().Length == typeArguments.Length)
            .Select(m => typeArguments.Length > 0 ? m.MakeGenericMethod(typeArguments) : m)
            .FirstOrDefault(m => arguments.All(a => m.GetParameters().Any(p => p.Name == a.Name && Fits(p.ParameterType, a.Value))))
            ?? throw new MissingMethodException(type.FullName, name);
        var values = method.GetParameters().Select(p =>
        {
            var given = arguments.FirstOrDefault(a => a.Name == p.Name);
            if (given.Name is null) return null; // None
            return IsOption(p.ParameterType) && given.Value is not null && !IsOption(given.Value.GetType())
                ? Activator.CreateInstance(p.ParameterType, given.Value)
                : given.Value;
        }).ToArray();
        return method.Invoke(null, values)!;
    }

    /// <summary>Applies a curried F# function value, as the Plotly.NET <c>Chart.with…</c> styling methods return.</summary>
    public static T Apply<T>(object function, T argument) => ((FSharpFunc<T, T>)function).Invoke(argument);

    private static bool IsOption(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(FSharpOption<>);

    private static bool Fits(Type parameter, object? value) =>
        value is null || parameter.IsInstanceOfType(value) || (IsOption(parameter) && parameter.GetGenericArguments()[0].IsInstanceOfType(value));
}
