using GpuTrainer.Compute;
using GpuTrainer.Compute.Ilgpu;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>IlgpuBackend's creation, device discovery and argument checks (beyond the shared op suite).</summary>
[Collection(IlgpuCpuCollection.Name)]
public sealed class IlgpuCpuBackendTests(IlgpuCpuFixture fixture)
{
    private IlgpuBackend Backend => fixture.Backend;

    [Fact]
    public void A_buffer_of_another_backend_is_rejected_with_the_tensor_name()
    {
        using var other = IlgpuBackend.Create(DeviceKind.IlgpuCpu);
        using var foreign = other.Allocate(8);
        using var own = Backend.Allocate(8);

        var ex = Assert.Throws<ArgumentException>(() => Backend.Copy(foreign.All, own.All));

        Assert.Contains("'source'", ex.Message, StringComparison.Ordinal);
    }

    [NoCudaFact]
    public void Asking_for_cuda_without_a_cuda_device_throws_device_not_found()
    {
        var ex = Assert.Throws<DeviceNotFoundException>(() => IlgpuBackend.Create(DeviceKind.Cuda));

        Assert.StartsWith("No CUDA device was found (ILGPU saw: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CPU accelerator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_a_non_ilgpu_device_kind_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => IlgpuBackend.Create(DeviceKind.Cpu));
    }

    [Fact]
    public void The_device_list_holds_a_cpu_accelerator_sized_for_our_groups()
    {
        var cpu = Assert.Single(IlgpuDevices.List(), d => d.Kind == DeviceKind.IlgpuCpu);

        Assert.True(cpu.MaxGroupSize >= Kernels.GemmKernels.Tile * Kernels.GemmKernels.Tile, $"max group {cpu.MaxGroupSize}");
        Assert.True(cpu.MaxGroupSize >= Kernels.ReductionKernels.GroupSize, $"max group {cpu.MaxGroupSize}");
        Assert.Null(cpu.ComputeCapability);
    }

    [Theory]
    [InlineData("cuda", "libcuda.so.1")]
    [InlineData("nvcuda", "libcuda.so.1")]
    [InlineData("OpenCL", "libOpenCL.so.1")]
    [InlineData("opencl", "libOpenCL.so.1")]
    [InlineData("libc", null)]
    public void The_native_fallback_maps_driver_names_to_their_versioned_sonames(string requested, string? expected)
    {
        Assert.Equal(expected, NativeLibraryFallback.VersionedName(requested));
    }

    [Fact]
    public void Transfers_and_copies_reject_mismatched_lengths()
    {
        using var buffer = Backend.Allocate(10);

        var upload = Assert.Throws<ArgumentException>(() => Backend.Upload(new float[4], buffer.Slice(0, 5)));
        var download = Assert.Throws<ArgumentException>(() => Backend.Download(buffer.Slice(0, 5), new float[6]));
        var copy = Assert.Throws<ArgumentException>(() => Backend.Copy(buffer.Slice(0, 3), buffer.Slice(5, 4)));

        Assert.Contains("has 5 elements but 4", upload.Message, StringComparison.Ordinal);
        Assert.Contains("has 5 elements but the shape needs 6", download.Message, StringComparison.Ordinal);
        Assert.Contains("'destination' has 4 elements but 3", copy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optimizer_steps_reject_arena_views_of_unequal_length()
    {
        using var buffer = Backend.Allocate(40);
        Tensor p = buffer.Slice(0, 10), g = buffer.Slice(10, 9), m = buffer.Slice(20, 10), v = buffer.Slice(30, 10);

        var sgd = Assert.Throws<ArgumentException>(() => Backend.SgdStep(p, g, m, new SgdHyper(0.1, Momentum: 0.9)));
        var adam = Assert.Throws<ArgumentException>(() => Backend.AdamStep(p, m, g, v, new AdamHyper(1e-3, 1)));

        Assert.Contains("'gradients'", sgd.Message, StringComparison.Ordinal);
        Assert.Contains("'state1'", adam.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_sgd_leaves_the_view_standing_in_for_its_momentum_buffer_alone()
    {
        using var buffer = Backend.Allocate(4);
        Backend.Fill(buffer.All, 1f);

        Backend.SgdStep(buffer.Slice(0, 2), buffer.Slice(2, 2), buffer.Slice(2, 2), new SgdHyper(0.5));

        var values = new float[4];
        Backend.Download(buffer.All, values);
        Assert.Equal([0.5f, 0.5f, 1f, 1f], values);
    }

    [Fact]
    public void Convolution_rejects_a_short_weight_view_naming_it()
    {
        var shape = new Conv2dShape(N: 1, C: 2, H: 5, W: 5, OC: 3, KH: 3, KW: 3);
        using var x = Backend.Allocate(shape.InputSize);
        using var w = Backend.Allocate(shape.WeightSize - 1);
        using var y = Backend.Allocate(shape.OutputSize);

        var ex = Assert.Throws<ArgumentException>(() => Backend.Conv2dForward(shape, x.All, w.All, y.All));

        Assert.Contains($"'weight' has {shape.WeightSize - 1} elements but the shape needs {shape.WeightSize}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conv_backward_weight_with_a_ragged_last_batch_split_matches_reference()
    {
        // 1 x 100 output tiles make the backend split N = 5 images as 3 + 2 (split-K over images).
        var s = new Conv2dShape(N: 5, C: 64, H: 5, W: 5, OC: 16, KH: 5, KW: 5);
        var x = TestData.Uniform(s.InputSize, 70);
        var dy = TestData.Uniform(s.OutputSize, 71);
        using var xb = Backend.Allocate(s.InputSize);
        using var dyb = Backend.Allocate(s.OutputSize);
        using var dwb = Backend.Allocate(s.WeightSize);
        Backend.Upload(x, xb.All);
        Backend.Upload(dy, dyb.All);

        Backend.Conv2dBackwardWeight(s, xb.All, dyb.All, dwb.All);

        var dw = new float[s.WeightSize];
        Backend.Download(dwb.All, dw);
        using var reference = new ReferenceBackend();
        var expected = reference.Allocate(s.WeightSize).All;
        reference.Conv2dBackwardWeight(s, reference.Put(x), reference.Put(dy), expected);
        TestData.AssertClose(reference.Read(expected), dw, 2e-5, 2e-4, "dw");
    }
}
