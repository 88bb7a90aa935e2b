namespace GpuTrainer.Diagnostics;

/// <summary>How large the self-test and the device benchmark make their shapes.</summary>
public enum CheckSize
{
    /// <summary>Tiny shapes that ILGPU's CPU accelerator runs in seconds: proves the code paths.</summary>
    Small,
    /// <summary>Realistic shapes (LeNet-5 at batch 128, GEMM 512x384x640, 1M-parameter optimizers; 4096^3 GEMM in the benchmark).</summary>
    Full,
}
