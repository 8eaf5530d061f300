using System.Globalization;
using System.Text;
using ArchGan.Display;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ArchGan.Model;

/// <summary>
/// A layer-by-layer table of a network: output shape, parameters and multiply-adds per image, like Keras'
/// <c>model.summary()</c>. Built by running one input through the network and watching each layer, so the
/// shapes are the ones the network really produces.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource), PreferredMimeTypes = new[] { "text/html" })]
public sealed class ModelSummary
{
    private ModelSummary(string title, IReadOnlyList<long> inputShape, IReadOnlyList<LayerInfo> layers)
    {
        Title = title;
        InputShape = inputShape;
        Layers = layers;
    }

    /// <summary>The network's name.</summary>
    public string Title { get; }
    /// <summary>Shape of one input (without the batch dimension).</summary>
    public IReadOnlyList<long> InputShape { get; }
    /// <summary>The layers, in call order.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }
    /// <summary>All trainable parameters.</summary>
    public long Parameters => Layers.Sum(l => l.Parameters);
    /// <summary>Multiply-adds of one forward pass for one image.</summary>
    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);

    /// <summary>Summarizes the generator for latent vectors of <paramref name="latentSize"/>.</summary>
    public static ModelSummary Of(Generator generator, int latentSize) => Build(generator, new long[] { latentSize });

    /// <summary>Summarizes the discriminator for images of <paramref name="imageSize"/>.</summary>
    public static ModelSummary Of(Discriminator discriminator, int imageSize) => Build(discriminator, new long[] { 3, imageSize, imageSize });

    // A forward hook on every leaf layer records the layers in the order forward() really calls them, with
    // the shapes they really see.
    private static ModelSummary Build(nn.Module<Tensor, Tensor> model, long[] inputShape)
    {
        var wasTraining = model.training;
        model.eval();
        var rows = new List<LayerInfo>();
        var hooks = new List<Action>();
        try
        {
            foreach (var (name, module) in model.named_modules())
            {
                if (module.children().Any() || module is not nn.Module<Tensor, Tensor> layer) continue;
                var hook = layer.register_forward_hook((_, input, output) =>
                {
                    var parameters = module.parameters(recurse: false).Sum(p => p.numel());
                    rows.Add(new LayerInfo(name, module.GetType().Name, output.shape.Skip(1).ToArray(), parameters, MultiplyAddsOf(module, input, output)));
                    return output;
                });
                hooks.Add(hook.remove);
            }
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            // Through the modules' own calls, where the hooks fire: a bfloat16 network's faster route bypasses them.
            FastConvolution.ThroughModules = true;
            model.call(torch.zeros(new long[] { 1 }.Concat(inputShape).ToArray()));
            return new ModelSummary(model.GetName(), inputShape, rows);
        }
        finally
        {
            FastConvolution.ThroughModules = false;
            foreach (var remove in hooks) remove();
            model.train(wasTraining);
        }
    }

    private static long MultiplyAddsOf(nn.Module module, Tensor input, Tensor output) => module switch
    {
        // Each output value of a convolution sums in_channels x k x k products.
        Conv2d => output.numel() * input.shape[1] * KernelArea(module),
        // Each input value of a transposed convolution is scattered into out_channels x k x k products.
        ConvTranspose2d => input.numel() * output.shape[1] * KernelArea(module),
        Linear => input.numel() * output.shape[^1],
        _ => 0,
    };

    private static long KernelArea(nn.Module module)
    {
        var weight = (Tensor)module.get_parameter("weight")!;
        return weight.shape[2] * weight.shape[3];
    }

    /// <summary>The table as aligned plain text.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Title}: input {string.Join(" x ", InputShape)}");
        text.AppendLine($"{"layer",-22} {"kind",-16} {"output",-16} {"parameters",12} {"multiply-adds",15}");
        foreach (var l in Layers)
            text.AppendLine($"{l.Name,-22} {l.Kind,-16} {l.Shape,-16} {Format(l.Parameters),12} {Format(l.MultiplyAdds),15}");
        text.Append($"{"total",-22} {"",-16} {"",-16} {Format(Parameters),12} {Format(MultiplyAdds),15}");
        return text.ToString();
    }

    internal static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
