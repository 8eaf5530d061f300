using ArchGan.Data;

namespace ArchGan.Training;

/// <summary>
/// What a run was trained on, saved beside it as <c>data.json</c> (<see cref="TrainingRun"/> writes and reads
/// it), so that resuming can find the same images and tell whether they are still the same (their number and
/// <see cref="ImageSet.Fingerprint"/>), and with how many libtorch threads: sums over another number of threads
/// round differently, so an exact continuation needs the same count.
/// </summary>
/// <param name="Folder">The folder of images, or null for generated facades.</param>
/// <param name="Facades">How many facades are generated when there is no folder.</param>
/// <param name="FacadeSeed">The seed the facades are generated from.</param>
/// <param name="Threads">libtorch's thread count during the run, where recorded.</param>
/// <param name="Images">How many images the run was trained on, where recorded.</param>
/// <param name="Fingerprint">Their <see cref="ImageSet.Fingerprint"/>, where recorded.</param>
public sealed record DataSource(string? Folder, int Facades, int FacadeSeed, int? Threads = null, int? Images = null, string? Fingerprint = null)
{
    /// <summary>
    /// The images at the recipe's size: <see cref="Facades"/> facades drawn from <see cref="FacadeSeed"/>, or the
    /// folder's images resized its way, with the folder's load report (null for facades) for the host to show.
    /// </summary>
    /// <exception cref="DatasetException">The folder does not exist, or holds no usable image.</exception>
    public (ImageSet Images, LoadReport? Report) Load(Hyperparameters hp, string? cacheDirectory = null)
    {
        if (Folder is null) return (Data.Facades.Generate(Facades, hp.ImageSize, FacadeSeed), null);
        var (images, report) = ImageFolder.Load(Folder, hp.ImageSize, hp.Resize, cacheDirectory);
        return (images, report);
    }

    // How the images (of that fingerprint) differ from the images this source recorded, or null where they do
    // not (or where a run from before the count and the fingerprint were recorded cannot tell).
    internal string? ChangeTo(ImageSet images, string fingerprint) =>
        Images is int trainedOn && trainedOn != images.Count
            ? $"the run was trained on {trainedOn} images and the data now gives {images.Count}"
            : Fingerprint is string before && before != fingerprint
                ? $"the data gives as many images as the run was trained on, but not the same ones (fingerprint {fingerprint}, was {before})"
                : null;

    /// <summary>The data's part of a default run name: "facades", or the folder's own name.</summary>
    public string ShortName() =>
        Folder is null ? "facades" : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Folder)));
}
