using ArchGan.Data;
using TorchSharp;

namespace ArchGan.Display;

/// <summary>Shows a float tensor of images, as the generator outputs them, without converting by hand.</summary>
public static class TensorImages
{
    /// <summary>
    /// A <see cref="SampleGrid"/> of <paramref name="images"/> (N x 3 x S x S, values in [-1, 1]; the grid maps -1 to
    /// black and 1 to white). Small images are enlarged so a 32 x 32 sample is visible.
    /// </summary>
    public static SampleGrid Grid(torch.Tensor images, int? columns = null, string? title = null, int? scale = null)
    {
        var set = ImageSet.FromTensor(images);
        return new SampleGrid(set, columns, padding: 2, scale: scale ?? NotebookHtml.ScaleFor(set.Size), title: title);
    }

    /// <summary>A grid of an image set, enlarged like <see cref="Grid(torch.Tensor, int?, string?, int?)"/>.</summary>
    public static SampleGrid Grid(ImageSet images, int? columns = null, string? title = null, int? scale = null) =>
        new(images, columns, padding: 2, scale: scale ?? NotebookHtml.ScaleFor(images.Size), title: title);
}
