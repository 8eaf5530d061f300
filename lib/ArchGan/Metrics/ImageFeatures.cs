using System.Diagnostics;
using ArchGan.Data;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan.Metrics;

/// <summary>
/// Features of images from a pretrained network: the 512 pooled values of the last block of an ImageNet ResNet18
/// (He et al. 2016, "Deep Residual Learning for Image Recognition"), run with ONNX Runtime on the CPU. They are
/// the space <see cref="KernelDistance"/> (KID), <see cref="FrechetDistance"/> (FID) and
/// <see cref="ManifoldPrecisionRecall"/> measure in: a network trained to tell a million photos apart responds to
/// structure (windows, columns, roof lines, blur) that pixel statistics such as <see cref="SlicedWasserstein"/>
/// barely see.
/// </summary>
/// <remarks>
/// <para>The model files come from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18, which the build
/// fetches and copies beside ArchGan.dll (<c>DnnImageModels/</c>); nothing is downloaded at run time. Two ONNX
/// graphs run in turn: <c>ResNetPreprocess.onnx</c> (RGB 0..255 to BGR minus the training mean image) and
/// <c>ResNet18.onnx</c>. Images are first resized to 224 x 224, the side the network was trained at, bilinearly.</para>
/// <para>The exported graphs fix their batch dimension at 1, so images go through one at a time; the resizing is
/// done a batch at a time. The network's weights are the same for every image, so features do not depend on the
/// order or on the batch.</para>
/// </remarks>
public sealed class ImageFeatures : IDisposable
{
    /// <summary>Side of the network's input.</summary>
    public const int Side = 224;

    /// <summary>Values per image.</summary>
    public const int Dimensions = 512;

    /// <summary>The model files' names inside their folder.</summary>
    public const string NetworkFile = "ResNet18.onnx", PreprocessFile = "ResNetPreprocess.onnx";

    private const int ResizeBatch = 16;

    private readonly InferenceSession preprocess, network;
    private readonly RunOptions runOptions = new();
    private readonly string preprocessInput, preprocessOutput, networkInput, networkOutput;

    private ImageFeatures(InferenceSession preprocess, InferenceSession network)
    {
        this.preprocess = preprocess;
        this.network = network;
        preprocessInput = preprocess.InputMetadata.Keys.Single();
        preprocessOutput = preprocess.OutputMetadata.Keys.Single();
        networkInput = network.InputMetadata.Keys.Single();
        networkOutput = network.OutputMetadata.Keys.Single();
    }

    /// <summary>Where the build puts the model files: <c>DnnImageModels</c> beside ArchGan.dll.</summary>
    public static string DefaultFolder =>
        Path.Combine(Path.GetDirectoryName(typeof(ImageFeatures).Assembly.Location) ?? AppContext.BaseDirectory, "DnnImageModels");

    /// <summary>
    /// Loads the two graphs from <paramref name="folder"/> (<see cref="DefaultFolder"/> when null), computing on
    /// <paramref name="threads"/> threads (ONNX Runtime's choice, one per core, when 0).
    /// </summary>
    /// <exception cref="FileNotFoundException">A model file is missing; the message says how to get it.</exception>
    public static ImageFeatures Load(string? folder = null, int threads = 0)
    {
        folder ??= DefaultFolder;
        foreach (var file in new[] { PreprocessFile, NetworkFile })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"The ResNet18 model file '{path}' is missing. `dotnet build` copies it there from the NuGet package " +
                    "Microsoft.ML.DnnImageFeaturizer.ResNet18; build the repository again, or pass the folder that holds " +
                    $"{PreprocessFile} and {NetworkFile}.", path);
        }
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        var preprocess = new InferenceSession(Path.Combine(folder, PreprocessFile), options);
        try
        {
            return new ImageFeatures(preprocess, new InferenceSession(Path.Combine(folder, NetworkFile), options));
        }
        catch
        {
            preprocess.Dispose();
            throw;
        }
    }

    /// <summary>The features of every image of <paramref name="images"/>, in order.</summary>
    /// <param name="images">Images of any supported size; resized to 224 x 224.</param>
    /// <param name="progress">Called with the images done so far.</param>
    public FeatureSet Extract(ImageSet images, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var clock = Stopwatch.StartNew();
        var features = new float[(long)images.Count * Dimensions];
        var input = new float[3 * Side * Side];
        for (int start = 0; start < images.Count; start += ResizeBatch)
        {
            int count = Math.Min(ResizeBatch, images.Count - start);
            float[] resized = Resize(images, start, count);
            for (int i = 0; i < count; i++)
            {
                Array.Copy(resized, (long)i * input.Length, input, 0, input.Length);
                Run(input, features.AsSpan((start + i) * Dimensions, Dimensions));
            }
            progress?.Invoke(start + count);
        }
        return new FeatureSet(features, images.Count, Dimensions, clock.Elapsed.TotalSeconds);
    }

    // Images start..start+count as 224 x 224 planar RGB floats in 0..255, one after another.
    private static float[] Resize(ImageSet images, int start, int count)
    {
        using var scope = torch.NewDisposeScope();
        var pixels = torch.tensor(images.Pixels.AsSpan(start * images.ImageBytes, count * images.ImageBytes).ToArray(),
            new long[] { count, 3, images.Size, images.Size }, dtype: ScalarType.Byte).to(ScalarType.Float32);
        // Antialiased when shrinking (256 → 224), so the network sees the image rather than its aliasing.
        var resized = images.Size == Side ? pixels
            : nn.functional.interpolate(pixels, new long[] { Side, Side }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: images.Size > Side);
        // Bilinear and triangle weights are positive and sum to 1, so values stay in 0..255.
        return resized.contiguous().data<float>().ToArray();
    }

    private void Run(float[] image, Span<float> destination)
    {
        long[] shape = { 1, 3, Side, Side };
        using var rgb = OrtValue.CreateTensorValueFromMemory(image, shape);
        using var prepared = preprocess.Run(runOptions, new[] { preprocessInput }, new[] { rgb }, new[] { preprocessOutput });
        using var outputs = network.Run(runOptions, new[] { networkInput }, new[] { prepared[0] }, new[] { networkOutput });
        var values = outputs[0].GetTensorDataAsSpan<float>();
        if (values.Length != Dimensions)
            throw new InvalidOperationException($"{NetworkFile} gave {values.Length} values for an image, not {Dimensions}.");
        values.CopyTo(destination);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        preprocess.Dispose();
        network.Dispose();
        runOptions.Dispose();
    }
}
