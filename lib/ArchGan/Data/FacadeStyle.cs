namespace ArchGan.Data;

/// <summary>The kinds of building <see cref="Facades"/> draws; each image shows one.</summary>
public enum FacadeStyle
{
    /// <summary>A Palladian villa: symmetric windows, a columned portico or arched loggia, a pediment, a hipped tile roof.</summary>
    Villa,

    /// <summary>A modern office block: a grid of glass panes between mullions and floor bands.</summary>
    GlassGrid,

    /// <summary>A terrace of narrow brick houses with sash windows, doors, gables or slate roofs and chimneys.</summary>
    RowHouse,

    /// <summary>A tall tower (bell tower, clock tower or keep) with a spire, dome or battlements, often beside a lower building.</summary>
    Tower,
}
