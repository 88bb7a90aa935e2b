using GpuTrainer.Compute;

namespace GpuTrainer.Diagnostics;

/// <summary>
/// The shapes the self-test runs at. Full: GEMM 512x384x640 with each transpose, LeNet-5's convolutions and
/// pools at batch 128 plus one awkward strided, padded shape, softmax-CE 128x10, optimizers over 1M parameters.
/// Small: the same structure at shapes ILGPU's CPU accelerator runs in seconds. Both add a batched, strided
/// GEMM with sizes that are no multiple of a tile.
/// </summary>
/// <param name="Gemms">GEMM shapes.</param>
/// <param name="Convs">Convolution shapes (forward, backward-data and backward-weight each).</param>
/// <param name="Pools">Pooling windows (max and average, forward and backward).</param>
/// <param name="Batch">Rows of the activation, bias-gradient and softmax checks.</param>
/// <param name="Parameters">Arena length of the optimizer, fill and copy checks.</param>
internal sealed record SelfTestCases(
    IReadOnlyList<GemmShape> Gemms, IReadOnlyList<Conv2dShape> Convs, IReadOnlyList<Pool2dShape> Pools, int Batch, int Parameters)
{
    public static SelfTestCases For(CheckSize size) => size == CheckSize.Full ? Full : Small;

    private static SelfTestCases Full { get; } = new(
        [.. Transposes(512, 384, 640), Batched],
        [LeNetConv1(128), LeNetConv2(128), AwkwardConv(9)],
        [LeNetPool1(128), LeNetPool2(128), AwkwardPool(9)],
        Batch: 128,
        Parameters: 1 << 20);

    private static SelfTestCases Small { get; } = new(
        [.. Transposes(37, 29, 45), Batched],
        [LeNetConv1(2), LeNetConv2(3), AwkwardConv(2)],
        [LeNetPool1(2), LeNetPool2(3), AwkwardPool(2)],
        Batch: 13,
        Parameters: 10_000);

    // Batches padded apart, so strides differ from the matrix sizes; A transposed.
    private static GemmShape Batched => new(33, 17, 65, TransA: true, Batch: 3, StrideA: 33 * 65 + 3, StrideB: 65 * 17 + 5, StrideC: 33 * 17 + 2);

    private static IEnumerable<GemmShape> Transposes(int m, int n, int k) =>
        from transA in new[] { false, true }
        from transB in new[] { false, true }
        select new GemmShape(m, n, k, transA, transB);

    // LeNet-5: (N,1,28,28) 6 filters 5x5 pad 2, then (N,6,14,14) 16 filters 5x5.
    private static Conv2dShape LeNetConv1(int n) => new(n, 1, 28, 28, 6, 5, 5, PadH: 2, PadW: 2);

    private static Conv2dShape LeNetConv2(int n) => new(n, 6, 14, 14, 16, 5, 5);

    private static Conv2dShape AwkwardConv(int n) => new(n, 3, 17, 23, 7, 4, 3, StrideH: 2, StrideW: 3, PadH: 1, PadW: 2);

    private static Pool2dShape LeNetPool1(int n) => new(n, 6, 28, 28, 2, 2, 2, 2);

    private static Pool2dShape LeNetPool2(int n) => new(n, 16, 10, 10, 2, 2, 2, 2);

    // Overlapping 3x3 windows, stride 2, padding 1: inputs win several windows and padding takes part.
    private static Pool2dShape AwkwardPool(int n) => new(n, 5, 17, 13, 3, 3, 2, 2, 1, 1);
}
