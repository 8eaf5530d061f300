namespace ArchGan.Training;

/// <summary>
/// The discriminator that the GAN value function V(D, G) = E_x[log D(x)] + E_z[log(1 − D(G(z)))] asks for, worked
/// out where the densities are known: for a fixed generator, D*(x) = p_data(x) / (p_data(x) + p_g(x)), and the
/// trainer's <c>lossD</c> (the sum of the two cross-entropies, which is −V) at D* is 2 ln 2 − 2·JSD(p_data, p_g).
/// It shows on numbers why 2 ln 2 is the balance of the game: the value where p_g = p_data and D* answers ½
/// everywhere. The example is one-dimensional: real data N(0, 1), the generator's samples N(shift, 1).
/// </summary>
public static class OptimalDiscriminator
{
    /// <summary>D* at a point where the real and generated densities are <paramref name="pData"/> and <paramref name="pG"/>; ½ where both are 0.</summary>
    public static double Of(double pData, double pG) => pData + pG <= 0 ? 0.5 : pData / (pData + pG);

    /// <summary>The normal density with <paramref name="mean"/> and standard deviation 1 at <paramref name="x"/>.</summary>
    public static double Density(double x, double mean) => Math.Exp(-0.5 * (x - mean) * (x - mean)) / Math.Sqrt(2 * Math.PI);

    /// <summary>
    /// <c>lossD</c> = −V(D*, G) when the generator's samples lie <paramref name="shift"/> away from the data, by the
    /// midpoint rule on [−12, 12 + shift] (beyond it both densities are below 1e-30).
    /// </summary>
    public static double LossAtOptimum(double shift, int steps = 4000)
    {
        double from = Math.Min(0, shift) - 12, to = Math.Max(0, shift) + 12, dx = (to - from) / steps, sum = 0;
        for (int i = 0; i < steps; i++)
        {
            // In logarithms: where one density is far below the other, D* rounds to 0 or 1 and log(D*) to −∞.
            double x = from + (i + 0.5) * dx, logData = -0.5 * x * x, logG = -0.5 * (x - shift) * (x - shift);
            double logBoth = Math.Max(logData, logG) + Math.Log(1 + Math.Exp(-Math.Abs(logData - logG)));
            sum -= (Density(x, 0) * (logData - logBoth) + Density(x, shift) * (logG - logBoth)) * dx;
        }
        return sum;
    }
}
