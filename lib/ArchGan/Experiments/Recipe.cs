namespace ArchGan.Experiments;

/// <summary>One arm of a <see cref="RecipeComparison"/>: a name for the table and the hyperparameters it trains with.</summary>
public sealed record Recipe(string Name, Hyperparameters Hp);
