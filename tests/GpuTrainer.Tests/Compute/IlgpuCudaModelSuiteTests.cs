using GpuTrainer.Compute;
using GpuTrainer.Tests.Golden;
using GpuTrainer.Tests.Nn;
using GpuTrainer.Tests.Training;
using Xunit;
using Xunit.Abstractions;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// The model suite on CUDA: layer gradient checks, the PyTorch golden tests (forward, gradients and the four
/// optimizer runs) and the training-step suite, each method through <see cref="CudaSuite"/> (skipped without CUDA).
/// </summary>
public sealed class IlgpuCudaModelSuiteTests(IlgpuCudaFixture fixture, ITestOutputHelper output) : IClassFixture<IlgpuCudaFixture>
{
    public static TheoryData<string> LayerMethods => CudaSuite.Methods<LayerGradientTests>();
    public static TheoryData<string> GoldenMethods => CudaSuite.Methods<GoldenOptimizerTests>();
    public static TheoryData<string> TrainingMethods => CudaSuite.Methods<TrainingRunTests>();

    [CudaTheory]
    [MemberData(nameof(LayerMethods))]
    public void Layer_gradient_check_passes_on_cuda(string method) => CudaSuite.Run<LayerGradientTests>(new Layers(fixture.Backend), method);

    [CudaTheory]
    [MemberData(nameof(GoldenMethods))]
    public void Golden_test_passes_on_cuda(string method) => CudaSuite.Run<GoldenOptimizerTests>(new Golden(fixture.Backend, output), method);

    [CudaTheory]
    [MemberData(nameof(TrainingMethods))]
    public void Training_run_test_passes_on_cuda(string method) => CudaSuite.Run<TrainingRunTests>(new Training(fixture.Backend), method);

    private sealed class Layers(IBackend backend) : LayerGradientTests
    {
        protected override IBackend Backend => backend;
    }

    private sealed class Golden(IBackend backend, ITestOutputHelper output) : GoldenOptimizerTests(output)
    {
        protected override IBackend Backend => backend;
    }

    private sealed class Training(IBackend backend) : TrainingRunTests
    {
        protected override IBackend Backend => backend;
    }
}
