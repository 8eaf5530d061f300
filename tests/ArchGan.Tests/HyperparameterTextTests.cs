using ArchGan.Data;
using ArchGan.Training;

namespace ArchGan.Tests;

/// <summary>Hyperparameters set from text, as the command line, recipes and notebook parameters give them.</summary>
public class HyperparameterTextTests
{
    [Theory]
    [InlineData("BatchSize", "16")]
    [InlineData("batch-size", "16")]
    [InlineData("--batch-size", "16")]
    [InlineData("BATCHSIZE", "16")]
    public void A_field_is_named_as_a_property_or_an_option_in_any_case(string field, string text)
    {
        Assert.Equal(nameof(Hyperparameters.BatchSize), Hyperparameters.FieldName(field));
        Assert.Equal(16, Hyperparameters.Quick.With(field, text).BatchSize);
    }

    [Fact]
    public void Every_kind_of_field_parses_and_the_record_it_came_from_stays_as_it_was()
    {
        var hp = Hyperparameters.Quick
            .With("learning-rate-d", "5e-5")
            .With("Flip", "false")
            .With("loss", "hinge")
            .With("resize", "center-crop")
            .With("diff-augment", "color")
            .With("epochs", "7");
        Assert.Equal(Hyperparameters.Quick with
        {
            LearningRateD = 5e-5,
            Flip = false,
            Loss = GanLoss.Hinge,
            Resize = ResizeMode.CenterCrop,
            DiffAugment = "color",
            Epochs = 7,
        }, hp);
        Assert.Equal(5e-4, Hyperparameters.Quick.LearningRateD);
        // Improved is written as Quick with changes; it keeps the rate its palladio-32 measurements were taken at.
        Assert.Equal((2e-4, 2e-4), (Hyperparameters.Improved.LearningRateD, Hyperparameters.Improved.LearningRateG));
        Assert.Equal(ResizeMode.Stretch, Hyperparameters.Parse("Resize", "stretch"));
        Assert.Equal(ResizeMode.CenterCrop, Hyperparameters.Parse("Resize", "CenterCrop"));
        Assert.Equal(0.001, Hyperparameters.Parse("LearningRateG", " 1e-3 "));
    }

    [Theory]
    [InlineData("BatchSize", "four", "--batch-size = four is not allowed; expected an integer.")]
    [InlineData("EmaDecay", "0,999", "--ema-decay = 0,999 is not allowed; expected a number.")]
    [InlineData("Flip", "yes", "--flip = yes is not allowed; expected true or false.")]
    [InlineData("Resize", "squash", "--resize = squash is not allowed; expected one of center-crop, pad, stretch.")]
    [InlineData("Precision", "half", "--precision = half is not allowed; expected one of float32, bfloat16, auto.")]
    public void Text_that_does_not_parse_is_refused_naming_the_option_the_value_and_what_is_expected(string field, string text, string message)
    {
        var e = Assert.Throws<HyperparameterException>(() => Hyperparameters.Quick.With(field, text));
        Assert.Equal(message, e.Message.Split(" (Parameter")[0]);
        Assert.Equal(Hyperparameters.OptionName(field), e.Field);
        Assert.Equal(text, e.Value);
    }

    [Fact]
    public void An_unknown_field_is_refused_listing_the_fields()
    {
        var e = Assert.Throws<HyperparameterException>(() => Hyperparameters.Quick.With("colour", "1"));
        Assert.Equal("colour", e.Value);
        Assert.Contains("a hyperparameter: ImageSize, Width,", e.Message);
        Assert.Throws<HyperparameterException>(() => Hyperparameters.Parse("colour", "1"));
        Assert.Throws<HyperparameterException>(() => Hyperparameters.FieldName("colour"));
    }

    [Fact]
    public void Option_names_and_fields_cover_every_settable_property()
    {
        Assert.Equal("--learning-rate-d", Hyperparameters.OptionName("LearningRateD"));
        Assert.Equal("--image-size", Hyperparameters.OptionName("ImageSize"));
        var settable = typeof(Hyperparameters).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToList();
        Assert.Equal(settable, Hyperparameters.Fields);
        Assert.Equal("an integer", Hyperparameters.Expected("image-size"));
        Assert.Equal("one of bce, hinge", Hyperparameters.Expected("Loss"));
    }
}
