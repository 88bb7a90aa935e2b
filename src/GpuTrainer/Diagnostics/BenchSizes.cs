namespace GpuTrainer.Diagnostics;

/// <summary>What the device benchmark measures at.</summary>
/// <param name="GemmSize">n of the n x n x n FP32 GEMM.</param>
/// <param name="AdamParameters">Arena length of the fused Adam step.</param>
/// <param name="Images">Synthetic 28x28 images in the LeNet-5 epoch.</param>
/// <param name="Batch">Batch size of the LeNet-5 epoch.</param>
/// <param name="Repeats">Timed repetitions of the GEMM, Adam and copy measurements (after one warm-up).</param>
public sealed record BenchSizes(int GemmSize, int AdamParameters, int Images, int Batch, int Repeats)
{
    /// <summary>Full: GEMM 4096^3, Adam over 100M parameters, a 60,000-image epoch at batch 128. Small (GEMM 64^3, Adam over 100,000, 64 images at batch 32): proves the code paths, even on ilgpu-cpu.</summary>
    public static BenchSizes For(CheckSize size) => size == CheckSize.Full
        ? new(4096, 100_000_000, 60_000, 128, 10)
        : new(64, 100_000, 64, 32, 1);
}
