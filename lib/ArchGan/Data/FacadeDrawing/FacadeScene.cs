using SkiaSharp;

namespace ArchGan.Data.FacadeDrawing;

/// <summary>What the buildings need to know about the scenery drawn before them: where the ground starts and the sky's
/// horizon colour, which glass reflects and distant things fade into.</summary>
internal readonly record struct FacadeScene(float GroundY, SKColor SkyTop, SKColor SkyBottom);
