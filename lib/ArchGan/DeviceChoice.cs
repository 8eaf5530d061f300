using TorchSharp;
using static TorchSharp.torch;

namespace ArchGan;

/// <summary>Turns "auto", "cpu" or "cuda" into a torch device, with a clear message when CUDA is asked for but absent.</summary>
public static class DeviceChoice
{
    /// <summary>The names accepted by <see cref="Resolve"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "auto", "cpu", "cuda" };

    /// <summary>
    /// "auto" picks CUDA when libtorch sees a GPU, else the CPU; "cuda" requires one. This project references
    /// the CPU build of libtorch (TorchSharp-cpu); for a GPU, reference TorchSharp-cuda-linux (or
    /// TorchSharp-cuda-windows) of the same version instead.
    /// </summary>
    /// <exception cref="HyperparameterException">An unknown name, or "cuda" without a usable GPU.</exception>
    public static Device Resolve(string name)
    {
        switch (name.ToLowerInvariant())
        {
            case "cpu":
                return torch.CPU;
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                    throw new HyperparameterException("--device", name,
                        "cpu or auto: no CUDA device is usable here (this build references TorchSharp-cpu; reference TorchSharp-cuda-linux 0.107.0 for a GPU)");
                return torch.CUDA;
            default:
                throw new HyperparameterException("--device", name, string.Join(", ", Names));
        }
    }
}
