using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ArchGan.Notebooks;

/// <summary>
/// Writes the source of the papermill-style <c>injected-parameters</c> cell. Each value is typed after the
/// declaration of the same name in the <c>parameters</c> cell (<c>int Epochs = 200;</c> makes "1" the int 1,
/// <c>double LearningRate = 2e-4;</c> makes "1" the double 1, <c>string Name = "x";</c> keeps "1" a string;
/// a <c>var</c> declaration is typed by its literal). A name the parameters cell does not declare is typed by
/// its value: an int, long or double literal if it parses as one (invariant culture), true/false as bool,
/// anything else a string. The cell re-declares each variable, which in C# scripting shadows the default.
/// </summary>
internal static class ParameterInjector
{
    public static string BuildSource(string parametersCellSource, IReadOnlyList<KeyValuePair<string, string>> values, List<string> notes)
    {
        var declared = DeclaredTypes(parametersCellSource);
        var source = new StringBuilder();
        source.Append("// Injected by the ArchGan notebook runner; the defaults are in the cell tagged \"parameters\" above.\n");
        foreach (var (name, value) in values)
        {
            if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
            {
                throw new ArgumentException($"Parameter name '{name}' is not a C# identifier.");
            }
            if (declared.TryGetValue(name, out var type) && type is not null)
            {
                source.Append(type).Append(' ').Append(name).Append(" = ").Append(Literal(name, type, value)).Append(";\n");
            }
            else
            {
                if (!declared.ContainsKey(name))
                {
                    notes.Add($"parameter {name} is not declared in the parameters cell; typed from its value");
                }
                source.Append("var ").Append(name).Append(" = ").Append(InferredLiteral(value)).Append(";\n");
            }
        }
        return source.ToString().TrimEnd('\n');
    }

    /// <summary>Top-level variables of the parameters cell and their C# type keyword (null when not a simple type).</summary>
    internal static Dictionary<string, string?> DeclaredTypes(string source)
    {
        // Kernel directives (`#!time`, `#r "nuget: ..."`) would be parse errors; the rest is parsed as a script,
        // where top-level variables are field declarations.
        var code = string.Join("\n", source.Split('\n').Select(line => line.TrimStart().StartsWith('#') ? "" : line));
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var declaration in root.DescendantNodes().OfType<VariableDeclarationSyntax>())
        {
            if (declaration.Parent is not (FieldDeclarationSyntax or LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax }))
            {
                continue;
            }
            foreach (var variable in declaration.Variables)
            {
                result[variable.Identifier.ValueText] = TypeOf(declaration.Type, variable.Initializer?.Value);
            }
        }
        return result;
    }

    private static readonly HashSet<string> SimpleTypes = new(StringComparer.Ordinal)
    {
        "int", "long", "short", "byte", "uint", "ulong", "double", "float", "decimal", "bool", "string", "char",
    };

    private static string? TypeOf(TypeSyntax type, ExpressionSyntax? initializer)
    {
        if (type is PredefinedTypeSyntax predefined)
        {
            var keyword = predefined.Keyword.ValueText;
            return SimpleTypes.Contains(keyword) ? keyword : null;
        }
        if (!type.IsVar || initializer is null)
        {
            return null;
        }
        if (initializer is PrefixUnaryExpressionSyntax { OperatorToken.RawKind: (int)SyntaxKind.MinusToken } negative)
        {
            initializer = negative.Operand;
        }
        return initializer switch
        {
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } => "string",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } => "bool",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.CharacterLiteralExpression } => "char",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal => literal.Token.Value switch
            {
                int => "int",
                long => "long",
                uint => "uint",
                ulong => "ulong",
                float => "float",
                double => "double",
                decimal => "decimal",
                _ => null,
            },
            _ => null,
        };
    }

    private static string Literal(string name, string type, string value)
    {
        var text = value.Trim();
        var invariant = CultureInfo.InvariantCulture;
        string? literal = type switch
        {
            "string" => SymbolDisplay.FormatLiteral(value, quote: true),
            "char" => value.Length == 1 ? SymbolDisplay.FormatLiteral(value[0], quote: true) : null,
            "bool" => bool.TryParse(text, out var b) ? (b ? "true" : "false") : null,
            "int" => int.TryParse(text, NumberStyles.Integer, invariant, out var i) ? i.ToString(invariant) : null,
            "long" => long.TryParse(text, NumberStyles.Integer, invariant, out var l) ? l.ToString(invariant) + "L" : null,
            "short" => short.TryParse(text, NumberStyles.Integer, invariant, out var s) ? s.ToString(invariant) : null,
            "byte" => byte.TryParse(text, NumberStyles.Integer, invariant, out var by) ? by.ToString(invariant) : null,
            "uint" => uint.TryParse(text, NumberStyles.Integer, invariant, out var u) ? u.ToString(invariant) + "U" : null,
            "ulong" => ulong.TryParse(text, NumberStyles.Integer, invariant, out var ul) ? ul.ToString(invariant) + "UL" : null,
            "double" => double.TryParse(text, NumberStyles.Float, invariant, out var d) ? DoubleLiteral(d) : null,
            "float" => float.TryParse(text, NumberStyles.Float, invariant, out var f) && float.IsFinite(f) ? f.ToString("R", invariant) + "F" : null,
            "decimal" => decimal.TryParse(text, NumberStyles.Float, invariant, out var m) ? m.ToString(invariant) + "M" : null,
            _ => null,
        };
        return literal ?? throw new ArgumentException($"Parameter {name}: '{value}' is not a valid {type} (the parameters cell declares {name} as {type}).");
    }

    private static string InferredLiteral(string value)
    {
        var text = value.Trim();
        var invariant = CultureInfo.InvariantCulture;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i))
        {
            return i.ToString(invariant);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l))
        {
            return l.ToString(invariant) + "L";
        }
        if (double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d))
        {
            return DoubleLiteral(d);
        }
        if (bool.TryParse(text, out var b))
        {
            return b ? "true" : "false";
        }
        return SymbolDisplay.FormatLiteral(value, quote: true);
    }

    private static string DoubleLiteral(double d)
    {
        if (double.IsNaN(d))
        {
            return "double.NaN";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        // "1" alone would make an inferred `var` an int.
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }
}
