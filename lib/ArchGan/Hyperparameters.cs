using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ArchGan.Data;
using ArchGan.Model;
using ArchGan.Training;

namespace ArchGan;

/// <summary>
/// Every knob of a training run, in one record. Defaults are the article's values ("How to generate unique
/// architectures using GANs", its hyperparameter step); presets are named instances, changed with
/// <c>with</c>: <c>var hp = Hyperparameters.Article with { Epochs = 5 };</c>.
/// </summary>
public sealed record Hyperparameters
{
    /// <summary>Side of the square images, in pixels: 32, 64, 128 or 256. The number of up- and down-sampling stages follows.</summary>
    public int ImageSize { get; init; } = 128;          // 128 x 128 in the article
    /// <summary>Multiplier on every layer's channel count; 1.0 gives the article's 64 to 1024 channels. Counts round to a multiple of <see cref="Architecture.ChannelMultiple"/>.</summary>
    public double Width { get; init; } = 1.0;
    /// <summary>Length of the noise vector z fed to the generator.</summary>
    public int LatentSize { get; init; } = 100;         // z_dim in the article
    /// <summary>Images per batch.</summary>
    public int BatchSize { get; init; } = 4;            // batch_size in the article
    /// <summary>Passes over the data set.</summary>
    public int Epochs { get; init; } = 500;             // epochs in the article
    /// <summary>Adam learning rate of the discriminator.</summary>
    public double LearningRateD { get; init; } = 5e-5;  // learning_rate_D in the article
    /// <summary>Adam learning rate of the generator.</summary>
    public double LearningRateG { get; init; } = 2e-4;  // learning_rate_G in the article
    /// <summary>Adam's first-moment decay; 0.5 instead of 0.9 steadies GAN training (Radford et al. 2015, DCGAN).</summary>
    public double Beta1 { get; init; } = 0.5;           // beta1 in the article
    /// <summary>Adam's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;         // TensorFlow's default, which the article kept
    /// <summary>Slope of LeakyReLU for negative inputs.</summary>
    public double LeakySlope { get; init; } = 0.2;      // alpha in the article
    /// <summary>Standard deviation of the truncated normal that initializes every weight.</summary>
    public double InitStd { get; init; } = 0.02;        // stddev of truncated_normal_initializer in the article
    /// <summary>How non-square images are made square (the article stretched them).</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.CenterCrop;
    /// <summary>Mirror each training image left-right with probability 1/2: buildings are roughly symmetric.</summary>
    public bool Flip { get; init; }
    /// <summary>
    /// The adversarial loss: <see cref="GanLoss.Bce"/>, the article's sigmoid cross-entropy, or
    /// <see cref="GanLoss.Hinge"/> (Lim and Ye 2017; used by SAGAN and BigGAN), which stops pushing D once
    /// it is confidently right, so D cannot run away from G as easily.
    /// </summary>
    public GanLoss Loss { get; init; } = GanLoss.Bce;   // sigmoid_cross_entropy_with_logits in the article
    /// <summary>
    /// One-sided label smoothing for the cross-entropy loss: real images are labelled 1 − s instead of 1, so D
    /// is never rewarded for infinite confidence (Salimans et al. 2016). 0 turns it off; 0.1 is usual.
    /// </summary>
    public double LabelSmoothing { get; init; }         // none in the article
    /// <summary>
    /// Differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN
    /// Training"): a comma-separated policy of <c>color</c>, <c>translation</c> and <c>cutout</c>, applied to
    /// real and generated images alike before every pass through D. On a few dozen photos it keeps D from
    /// memorizing them. Empty turns it off.
    /// </summary>
    public string DiffAugment { get; init; } = "";      // none in the article
    /// <summary>
    /// Adaptive augmentation strength (Karras et al. 2020, ADA; <see cref="Training.AdaptiveAugmentation"/>): above 0,
    /// each <see cref="DiffAugment"/> transformation is applied to an image with a probability p that starts at 0
    /// and moves so that the share of real images D calls real with confidence, E[sign(D(x))], stays near this
    /// target. D is then augmented as much as it needs and no more. 0 turns it off (every transformation always
    /// applies); the paper used 0.6.
    /// </summary>
    public double AdaptiveAugmentTarget { get; init; }  // none in the article
    /// <summary>
    /// With <see cref="AdaptiveAugmentTarget"/>: how many training images p takes to go from 0 to 1. The paper's
    /// 500,000 suits its runs of millions of images; a CPU run sees tens of thousands.
    /// </summary>
    public int AdaptiveAugmentImages { get; init; } = 20_000;
    /// <summary>
    /// Decay of an exponential moving average of the generator's weights that samples are drawn from
    /// (Karras et al. 2018; Yazıcı et al. 2019): averaging smooths out the oscillation of GAN training.
    /// 0 turns it off (samples come from the trained generator itself); 0.999 is usual.
    /// </summary>
    public double EmaDecay { get; init; }               // none in the article
    /// <summary>
    /// Weight λ of the LeCam regularizer (Tseng et al. 2021, "Regularizing Generative Adversarial Networks under
    /// Limited Data"): λ·(E[(D(x) − α_F)²] + E[(D(G(z)) − α_R)²]) is added to D's loss, where α_R and α_F are moving
    /// averages of D's logits on real and generated images. It keeps D's verdicts on the two kinds close
    /// together, so D cannot grow the gap that lets it memorize a small set of photos. 0 turns it off; the paper
    /// used 0.3 and 0.01 on its sets.
    /// </summary>
    public double LeCamWeight { get; init; }            // none in the article
    /// <summary>
    /// Weight γ of the R1 penalty (Mescheder et al. 2018, "Which Training Methods for GANs do actually
    /// Converge?"): D is also trained to lower γ/2·E[‖∇ₓD(x)‖²] on real images, so D stays flat around the photos
    /// instead of carving a sharp peak at each of a few dozen. It is applied lazily (Karras et al. 2020,
    /// StyleGAN2): in a D step of its own once every <see cref="R1Interval"/> iterations, its weight multiplied by the interval, since it
    /// needs a second backward pass through D (<see cref="Training.GanTrainer.R1Step"/>). 0 turns it off; the
    /// StyleGAN2-ADA paper's rule of thumb, 0.0002·side²/batch, gives 0.2 at 128 x 128 with batch 16.
    /// </summary>
    public double R1Gamma { get; init; }                // none in the article
    /// <summary>With <see cref="R1Gamma"/>: iterations between R1 steps; StyleGAN2 used 16.</summary>
    public int R1Interval { get; init; } = 16;
    /// <summary>
    /// How the generator doubles the side at each stage: the article's 5x5 stride-2 transposed convolution, or
    /// one that draws no checkerboard: nearest-neighbour upsampling and a stride-1 convolution, or a 4x4
    /// transposed convolution (<see cref="Model.Upsampling"/>).
    /// </summary>
    public Upsampling Upsampling { get; init; } = Upsampling.TransposedConvolution; // Conv2DTranspose in the article
    /// <summary>
    /// Spectral normalization of every layer of D (Miyato et al. 2018; <see cref="Model.SpectralNorm"/>): each
    /// weight is divided by its largest singular value, which bounds how sharply D's verdict can change, the
    /// constraint SAGAN and BigGAN train their hinge loss under. D's BatchNorm is then left out, as in the paper,
    /// since it would rescale what the normalization bounds.
    /// </summary>
    public bool SpectralNormalization { get; init; }    // none in the article
    /// <summary>
    /// Weight λ of FastGAN's self-supervised task for D (Liu et al. 2021; <see cref="Model.ReconstructionDecoder"/>):
    /// a small decoder draws each real image back, at 32 x 32, from D's last features, and
    /// λ·E[|decoder(features(x)) − x↓|] is added to D's loss, x↓ being x area-averaged to 32 x 32. D must then
    /// keep features that describe a whole building, not just enough to recognize a few dozen photos. 0 turns
    /// it off; FastGAN weighs its (perceptual) reconstruction loss 1.
    /// </summary>
    public double ReconstructionWeight { get; init; }   // none in the article
    /// <summary>
    /// FastGAN's skip-layer excitation in G (Liu et al. 2021; <see cref="Model.SkipLayerExcitation"/>): each
    /// stage from 64 x 64 up is scaled, channel by channel, by gates computed from the map an eighth its side, a
    /// short path from the coarse layout to the fine stages. Needs an image size of at least 64.
    /// </summary>
    public bool SkipLayerExcitation { get; init; }      // none in the article
    /// <summary>
    /// Number type of the convolutions' forward and backward passes. <see cref="Precision.BFloat16"/> uses the
    /// CPU's bfloat16 units; weights, BatchNorm and the optimizer stay float32. <see cref="Precision.Auto"/>
    /// takes bfloat16 only on a CPU with bfloat16 instructions.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Float32; // the article's TensorFlow computed in float32
    /// <summary>Generate the fixed-noise sample grid every this many iterations.</summary>
    public int SampleEvery { get; init; } = 100;        // the article printed and saved samples "every few iterations"
    /// <summary>Write a checkpoint every this many epochs (and always at the end and on cancellation).</summary>
    public int CheckpointEvery { get; init; } = 5;      // the article saved every 5 epochs
    /// <summary>
    /// Checkpoints kept in the run directory: the newest as <c>checkpoint.ckpt</c>, older ones in
    /// <c>checkpoints/</c>, the oldest deleted beyond this count.
    /// </summary>
    public int KeepCheckpoints { get; init; } = 3;
    /// <summary>Number of images in the fixed-noise sample grid.</summary>
    public int SampleCount { get; init; } = 16;
    /// <summary>Seed of every random choice: weights, noise, shuffling, flips.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The article's recipe: 128 x 128, full width, batch 4, 500 epochs. It computes in
    /// <see cref="Precision.Auto"/>: bfloat16 convolutions on a CPU with bfloat16 instructions, where this
    /// full-width model trains fastest (docs/performance.md, "bfloat16"), float32 elsewhere.
    /// </summary>
    public static Hyperparameters Article { get; } = new() { Precision = Precision.Auto };

    /// <summary>
    /// Buildings on a 2-core CPU in a quarter of an hour: 64 x 64 at a quarter of the width, batch 32, 50 epochs
    /// over 2,048 generated facades, the recipe switches that measured best on facades (docs/recipes.md, "Which
    /// switches": flips, DiffAugment, one-sided label smoothing and a moving average of G), and both learning
    /// rates at 5e-4, two and a half times DCGAN's 2e-4: with DiffAugment and the moving average to steady it,
    /// the faster rate reached a given KID in about two thirds of the time, and faster rates did worse
    /// (docs/recipes.md, "Learning rates for the default train").
    /// </summary>
    public static Hyperparameters Quick { get; } = new()
    {
        ImageSize = 64,
        Width = 0.25,
        BatchSize = 32,
        Epochs = 50,
        LearningRateD = 5e-4,
        LearningRateG = 5e-4,
        Flip = true,
        DiffAugment = "color,translation,cutout",
        LabelSmoothing = 0.1,
        EmaDecay = 0.999,
        SampleEvery = 200,
        CheckpointEvery = 5,
        SampleCount = 64,
    };

    /// <summary>
    /// The improved recipe at the article's 128 x 128, sized for a 2-core CPU and a folder of a few dozen
    /// photos: <see cref="Quick"/>'s quarter width, flips, DiffAugment (so D cannot memorize the photos) and
    /// moving average of G, batch 16, 2,000 epochs (4,000 iterations on 32 photos), and a spectrally normalized
    /// D trained on the hinge loss (Miyato et al. 2018), which led Quick's BCE with label smoothing on KID in
    /// two hour-long runs on palladio-32 with the cores shared (docs/recipes.md, "Spectral normalization joins
    /// improved") and, with the machine alone, reached the same level in about half the time (docs/recipes.md,
    /// "The earlier improved alone for an hour"). It keeps DCGAN's learning rate of 2e-4: the 5e-4 that pays for
    /// <see cref="Quick"/> on facades gained nothing clear in an hour on palladio-32 (docs/recipes.md, "An hour
    /// on palladio-32 at 5e-4"). Its width and batch held too: width 0.375 and batch 8 ended no lower in the same
    /// hour (docs/recipes.md, "More width, or more iterations, at 128 x 128"), and neither did 4x4 generator
    /// stages nor LeCam regularization (docs/recipes.md, the two sections after that one).
    /// </summary>
    public static Hyperparameters Improved { get; } = Quick with
    {
        ImageSize = 128,
        BatchSize = 16,
        Epochs = 2000,
        LearningRateD = 2e-4,
        LearningRateG = 2e-4,
        Loss = GanLoss.Hinge,
        LabelSmoothing = 0,
        SpectralNormalization = true,
        SampleEvery = 200,
        CheckpointEvery = 100,
        SampleCount = 16,
    };

    /// <summary>The presets by name, for the command line and notebooks.</summary>
    public static IReadOnlyDictionary<string, Hyperparameters> Presets { get; } =
        new Dictionary<string, Hyperparameters>(StringComparer.OrdinalIgnoreCase)
        {
            ["article"] = Article,
            ["quick"] = Quick,
            ["improved"] = Improved,
        };

    /// <summary>The preset called <paramref name="name"/> (any case).</summary>
    /// <exception cref="HyperparameterException">No preset has that name.</exception>
    public static Hyperparameters Preset(string name) =>
        Presets.TryGetValue(name, out var hp)
            ? hp
            : throw new HyperparameterException("preset", name, $"one of {string.Join(", ", Presets.Keys)}");

    /// <summary>The image sizes the networks are built for.</summary>
    public static IReadOnlyList<int> SupportedImageSizes { get; } = new[] { 32, 64, 128, 256 };

    /// <summary>Checks every field, so that a bad value fails here with its name rather than deep inside a run.</summary>
    /// <exception cref="HyperparameterException">The first field whose value is not allowed.</exception>
    public Hyperparameters Validate()
    {
        if (!SupportedImageSizes.Contains(ImageSize))
            throw new HyperparameterException(nameof(ImageSize), ImageSize, string.Join(", ", SupportedImageSizes));
        Positive(nameof(Width), Width);
        Positive(nameof(LatentSize), LatentSize);
        Positive(nameof(BatchSize), BatchSize);
        Positive(nameof(Epochs), Epochs);
        Positive(nameof(LearningRateD), LearningRateD);
        Positive(nameof(LearningRateG), LearningRateG);
        if (Beta1 is < 0 or >= 1) throw new HyperparameterException(nameof(Beta1), Beta1, "a number in [0, 1)");
        if (Beta2 is < 0 or >= 1) throw new HyperparameterException(nameof(Beta2), Beta2, "a number in [0, 1)");
        if (LeakySlope is < 0 or >= 1) throw new HyperparameterException(nameof(LeakySlope), LeakySlope, "a number in [0, 1)");
        Positive(nameof(InitStd), InitStd);
        if (LabelSmoothing is < 0 or >= 0.5) throw new HyperparameterException(nameof(LabelSmoothing), LabelSmoothing, "a number in [0, 0.5)");
        if (LabelSmoothing > 0 && Loss != GanLoss.Bce)
            throw new HyperparameterException(nameof(LabelSmoothing), LabelSmoothing, $"0 with the {Loss} loss (label smoothing applies to Bce only)");
        if (EmaDecay is < 0 or >= 1) throw new HyperparameterException(nameof(EmaDecay), EmaDecay, "a number in [0, 1)");
        if (LeCamWeight < 0 || !double.IsFinite(LeCamWeight)) throw new HyperparameterException(nameof(LeCamWeight), LeCamWeight, "0 or a positive number");
        if (R1Gamma < 0 || !double.IsFinite(R1Gamma)) throw new HyperparameterException(nameof(R1Gamma), R1Gamma, "0 or a positive number");
        Positive(nameof(R1Interval), R1Interval);
        if (SkipLayerExcitation && ImageSize < Generator.SmallestGatedSize)
            throw new HyperparameterException(nameof(SkipLayerExcitation), SkipLayerExcitation, $"false at ImageSize {ImageSize} (it gates stages of {Generator.SmallestGatedSize} x {Generator.SmallestGatedSize} and up)");
        if (ReconstructionWeight < 0 || !double.IsFinite(ReconstructionWeight)) throw new HyperparameterException(nameof(ReconstructionWeight), ReconstructionWeight, "0 or a positive number");
        if (!Training.Augmentation.IsValidPolicy(DiffAugment))
            throw new HyperparameterException(nameof(DiffAugment), DiffAugment, $"empty or a comma-separated list of {string.Join(", ", Training.Augmentation.Names)}");
        if (AdaptiveAugmentTarget is < 0 or >= 1) throw new HyperparameterException(nameof(AdaptiveAugmentTarget), AdaptiveAugmentTarget, "a number in [0, 1)");
        if (AdaptiveAugmentTarget > 0 && DiffAugment.Length == 0)
            throw new HyperparameterException(nameof(AdaptiveAugmentTarget), AdaptiveAugmentTarget, "0 when DiffAugment is empty (it sets how often DiffAugment's transformations apply)");
        Positive(nameof(AdaptiveAugmentImages), AdaptiveAugmentImages);
        Positive(nameof(SampleEvery), SampleEvery);
        Positive(nameof(CheckpointEvery), CheckpointEvery);
        Positive(nameof(KeepCheckpoints), KeepCheckpoints);
        Positive(nameof(SampleCount), SampleCount);
        return this;

        static void Positive(string name, double value)
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new HyperparameterException(name, value, "a positive number");
        }
    }

    // The settable fields, by reflection, so that a new field can be set from text (and so from the command
    // line and from a notebook's string parameter) without touching the parser.
    private static readonly PropertyInfo[] Settable = typeof(Hyperparameters)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetMethod!.IsPublic)
        .ToArray();

    /// <summary>
    /// The names of the fields that <see cref="With"/> and <see cref="Parse"/> set, in declaration order: one
    /// command-line option each.
    /// </summary>
    public static IReadOnlyList<string> Fields { get; } = Settable.Select(p => p.Name).ToArray();

    /// <summary>
    /// The option that sets <paramref name="field"/> on the command line: "ImageSize" → "--image-size". Errors
    /// in text name the field this way, since text comes from there or from a notebook parameter.
    /// </summary>
    public static string OptionName(string field) => "--" + Regex.Replace(field, "(?<!^)([A-Z])", "-$1").ToLowerInvariant();

    /// <summary>
    /// This record with one field set from text: the field named as a property (<c>EmaDecay</c>) or an option
    /// (<c>ema-decay</c>, <c>--ema-decay</c>), the value as on the command line (<c>0.999</c>, <c>hinge</c>,
    /// <c>center-crop</c>). Not validated: several fields may have to change before the record makes sense.
    /// </summary>
    /// <exception cref="HyperparameterException">No such field, or a value that does not parse.</exception>
    public Hyperparameters With(string field, string text)
    {
        var property = Field(field);
        var copy = this with { };
        property.SetValue(copy, ParseValue(property, text));
        return copy;
    }

    /// <summary>
    /// The value that <paramref name="text"/> gives <paramref name="field"/> (named as in <see cref="With"/>),
    /// boxed: an <see cref="int"/>, <see cref="double"/>, <see cref="bool"/>, <see cref="string"/> or enum.
    /// </summary>
    /// <exception cref="HyperparameterException">No such field, or a value that does not parse.</exception>
    public static object Parse(string field, string text) => ParseValue(Field(field), text);

    /// <summary>
    /// What text for <paramref name="field"/> must look like ("an integer", "one of center-crop, pad,
    /// stretch"): the "expected" part of a parse error, and of an option's help.
    /// </summary>
    /// <exception cref="HyperparameterException">No such field.</exception>
    public static string Expected(string field) => Describe(Field(field).PropertyType);

    /// <summary>
    /// The field's own name for a property or option name in any case: "ema-decay", "--ema-decay" and
    /// "emadecay" are all <c>EmaDecay</c>.
    /// </summary>
    /// <exception cref="HyperparameterException">No such field.</exception>
    public static string FieldName(string field) => Field(field).Name;

    private static PropertyInfo Field(string field)
    {
        var key = field.TrimStart('-').Replace("-", "");
        return Settable.FirstOrDefault(f => string.Equals(f.Name, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new HyperparameterException("field", field, "a hyperparameter: " + string.Join(", ", Fields));
    }

    private static object ParseValue(PropertyInfo field, string text)
    {
        var type = field.PropertyType;
        object? value = type switch
        {
            _ when type == typeof(int) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null,
            _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when type == typeof(string) => text,
            _ when type.IsEnum => Enum.TryParse(type, text.Replace("-", ""), ignoreCase: true, out var e) && Enum.IsDefined(type, e!) ? e : null,
            _ => null,
        };
        return value ?? throw new HyperparameterException(OptionName(field.Name), text, Describe(type));
    }

    private static string Describe(Type type) =>
        type == typeof(int) ? "an integer"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a text"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => Regex.Replace(n, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant()))
        : type.Name;

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The record as indented JSON, the form written beside every run.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads what <see cref="ToJson"/> wrote; fields missing from the JSON keep their defaults.</summary>
    public static Hyperparameters FromJson(string json) =>
        JsonSerializer.Deserialize<Hyperparameters>(json, JsonOptions)
        ?? throw new JsonException("The hyperparameters JSON is empty.");
}
