using System.Runtime.CompilerServices;
using GpuTrainer.Compute;
using GpuTrainer.Compute.Cpu;
using GpuTrainer.Compute.Reference;
using GpuTrainer.Tests.Reference;
using Xunit;

namespace GpuTrainer.Tests.Compute;

/// <summary>
/// What the shared suite cannot see in the CPU backend: GEMM sizes on either side of its 6x16 micro-tile and
/// 256-deep k-blocks, batches big enough to be split across threads, results that must not depend on the
/// thread count, and its argument checks.
/// </summary>
public sealed class CpuBackendTests
{
    private const double Atol = 2e-5, Rtol = 2e-4;

    private readonly ReferenceBackend _reference = new();

    private static Tensor Put(IBackend backend, float[] values)
    {
        var t = backend.Allocate(values.Length).All;
        backend.Upload(values, t);
        return t;
    }

    private static float[] Get(IBackend backend, Tensor t)
    {
        var values = new float[t.Length];
        backend.Download(t, values);
        return values;
    }

    public static TheoryData<int, int, int, bool, bool> TileEdgeCases => new()
    {
        { 5, 15, 255, false, false },
        { 6, 16, 256, true, true },
        { 7, 17, 257, false, true },
        { 97, 33, 9, true, false },
        { 96, 47, 513, false, false },
        { 13, 1030, 3, false, true },
        { 1, 1, 700, true, true },
    };

    [Fact]
    public unsafe void Buffers_start_on_cache_lines_at_page_offsets_that_differ_from_one_to_the_next_wherever_the_heap_puts_them()
    {
        // Sizes that leave the heap's next array at every kind of offset, then whole pages (LeNet's activations).
        using var backend = new CpuBackend(threads: 1);
        var buffers = new[] { 1, 5, 17, 1023, 333 }.Concat(Enumerable.Repeat(1024, 59)).Select(backend.Allocate).ToList();
        var lines = buffers.Select(b => (nuint)Unsafe.AsPointer(ref ((CpuBuffer)b).At(0))).Select(address =>
        {
            Assert.Equal(0u, address % 64);
            return address / 64 % 64;
        }).ToList();

        Assert.Equal(64, lines.Distinct().Count());
        buffers.ForEach(b => b.Dispose());
    }

    [Fact]
    public void A_groups_operations_wait_in_call_order_for_the_next_read_and_an_op_of_fewer_members_runs_them_first()
    {
        // 3 members on 2 threads: queued (CpuBackend.Members.cs); one member: runs now, after what is queued.
        using var backend = new CpuBackend(threads: 2);
        var buffer = backend.Allocate(12);
        var group = new Tensor(buffer, 0, 4, 3, 4);
        backend.Fill(group, 2f);
        backend.Copy(new Tensor(buffer, 0, 4, 3, 4), new Tensor(buffer, 0, 4, 3, 4));
        Assert.Equal(2, backend.Queued);
        backend.Fill(new Tensor(buffer, 8, 4), 5f);
        Assert.Equal(0, backend.Queued);
        backend.Fill(group, 7f);
        Assert.Equal(1, backend.Queued);
        var host = new float[12];
        backend.Download(new Tensor(buffer, 0, 12), host);
        Assert.Equal(0, backend.Queued);
        Assert.Equal(Enumerable.Repeat(7f, 12), host);

        backend.Fill(group, 1f);
        backend.Fill(new Tensor(buffer, 4, 4), 3f);
        backend.Download(new Tensor(buffer, 0, 12), host);
        Assert.Equal([1f, 1f, 1f, 1f, 3f, 3f, 3f, 3f, 1f, 1f, 1f, 1f], host);
    }

    [Theory]
    [MemberData(nameof(TileEdgeCases))]
    public void Gemm_matches_reference_across_tile_and_block_edges(int m, int n, int k, bool transA, bool transB)
    {
        using var backend = new CpuBackend(threads: 2);
        var shape = new GemmShape(m, n, k, transA, transB);
        var a = TestData.Uniform((int)shape.ASize, 1);
        var b = TestData.Uniform((int)shape.BSize, 2);
        var c = TestData.Uniform((int)shape.CSize, 3);
        var expected = _reference.Put(c);
        _reference.Gemm(shape, 1.25f, _reference.Put(a), _reference.Put(b), 0.5f, expected);

        var ct = Put(backend, c);
        backend.Gemm(shape, 1.25f, Put(backend, a), Put(backend, b), 0.5f, ct);

        TestData.AssertClose(_reference.Read(expected), Get(backend, ct), 1e-4, Rtol, $"C {shape}");
    }

    [Fact]
    public void Lenet_sized_convolutions_with_a_large_batch_match_reference()
    {
        using var backend = new CpuBackend(threads: 2);
        foreach (var s in new[]
                 {
                     new Conv2dShape(N: 37, C: 1, H: 28, W: 28, OC: 6, KH: 5, KW: 5, PadH: 2, PadW: 2),
                     new Conv2dShape(N: 37, C: 6, H: 14, W: 14, OC: 16, KH: 5, KW: 5),
                 })
        {
            var x = TestData.Uniform(s.InputSize, 10);
            var w = TestData.Uniform(s.WeightSize, 11);
            var dy = TestData.Uniform(s.OutputSize, 12);
            Tensor rx = _reference.Put(x), rw = _reference.Put(w), rdy = _reference.Put(dy);
            Tensor ry = _reference.Allocate(s.OutputSize).All, rdx = _reference.Allocate(s.InputSize).All, rdw = _reference.Allocate(s.WeightSize).All;
            _reference.Conv2dForward(s, rx, rw, ry);
            _reference.Conv2dBackwardData(s, rdy, rw, rdx);
            _reference.Conv2dBackwardWeight(s, rx, rdy, rdw);

            var y = backend.Allocate(s.OutputSize).All;
            backend.Conv2dForward(s, Put(backend, x), Put(backend, w), y);
            TestData.AssertClose(_reference.Read(ry), Get(backend, y), Atol, Rtol, $"y {s}");

            var dx = backend.Allocate(s.InputSize).All;
            backend.Conv2dBackwardData(s, Put(backend, dy), Put(backend, w), dx);
            TestData.AssertClose(_reference.Read(rdx), Get(backend, dx), Atol, Rtol, $"dx {s}");

            // dW sums over 37 images of up to 784 products each: float error grows with the sum.
            var dw = backend.Allocate(s.WeightSize).All;
            backend.Conv2dBackwardWeight(s, Put(backend, x), Put(backend, dy), dw);
            TestData.AssertClose(_reference.Read(rdw), Get(backend, dw), 2e-3, Rtol, $"dw {s}");
        }
    }

    [Theory]
    [InlineData(3, 2, 28, 28)]
    [InlineData(2, 3, 9, 19)]
    public void Vectorised_2x2_max_pooling_matches_reference_with_ties_and_leftover_cells(int n, int c, int h, int w)
    {
        using var backend = new CpuBackend(threads: 2);
        var s = new Pool2dShape(n, c, h, w, KH: 2, KW: 2, StrideH: 2, StrideW: 2);
        var x = TestData.Uniform(s.InputSize, 20).Select(v => MathF.Round(v * 2) / 2).ToArray();
        var dy = TestData.Uniform(s.OutputSize, 21);
        Tensor rx = _reference.Put(x), ry = _reference.Allocate(s.OutputSize).All, rdx = _reference.Allocate(s.InputSize).All;
        _reference.MaxPoolForward(s, rx, ry);
        _reference.MaxPoolBackward(s, rx, _reference.Put(dy), rdx);
        Tensor xt = Put(backend, x), y = backend.Allocate(s.OutputSize).All;
        var dx = Put(backend, TestData.Uniform(s.InputSize, 22));

        backend.MaxPoolForward(s, xt, y);
        backend.MaxPoolBackward(s, xt, Put(backend, dy), dx);

        TestData.AssertClose(_reference.Read(ry), Get(backend, y), 0, 0, $"y {s}");
        TestData.AssertClose(_reference.Read(rdx), Get(backend, dx), 0, 0, $"dx {s}");
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        var runs = new[] { 1, 2, 3 }.Select(threads =>
        {
            using var backend = new CpuBackend(threads);
            return RunEveryParallelOp(backend);
        }).ToArray();

        foreach (var run in runs.Skip(1))
        {
            Assert.Equal(runs[0].Length, run.Length);
            for (var i = 0; i < run.Length; i++)
            {
                Assert.Equal(runs[0][i], run[i]);
            }
        }
    }

    // Every operation whose work is split across threads, at sizes large enough to be split (1<<15 elements per part).
    private static float[][] RunEveryParallelOp(IBackend backend)
    {
        var results = new List<float[]>();
        foreach (var shape in new[] { new GemmShape(131, 45, 300), new GemmShape(7, 530, 300, TransA: true, TransB: true) })
        {
            var c = backend.Allocate((int)shape.CSize).All;
            backend.Gemm(shape, 1f, Put(backend, TestData.Uniform((int)shape.ASize, 1)), Put(backend, TestData.Uniform((int)shape.BSize, 2)), 0f, c);
            results.Add(Get(backend, c));
        }

        var conv = new Conv2dShape(N: 41, C: 3, H: 24, W: 24, OC: 5, KH: 3, KW: 3, PadH: 1, PadW: 1);
        Tensor x = Put(backend, TestData.Uniform(conv.InputSize, 3)), w = Put(backend, TestData.Uniform(conv.WeightSize, 4));
        Tensor y = backend.Allocate(conv.OutputSize).All, dx = backend.Allocate(conv.InputSize).All, dw = backend.Allocate(conv.WeightSize).All;
        backend.Conv2dForward(conv, x, w, y);
        backend.Conv2dBackwardData(conv, y, w, dx);
        backend.Conv2dBackwardWeight(conv, x, y, dw);
        results.AddRange([Get(backend, y), Get(backend, dx), Get(backend, dw)]);

        var pool = new Pool2dShape(N: 41, C: 5, H: 24, W: 24, KH: 2, KW: 2, StrideH: 2, StrideW: 2);
        Tensor pooled = backend.Allocate(pool.OutputSize).All, dPool = backend.Allocate(pool.InputSize).All;
        backend.MaxPoolForward(pool, y, pooled);
        backend.MaxPoolBackward(pool, y, pooled, dPool);
        results.AddRange([Get(backend, pooled), Get(backend, dPool)]);

        var bias = Put(backend, TestData.Uniform(5, 5));
        backend.BiasActivation(y, bias, y, 41, 5, 576, Activation.Relu);
        backend.ActivationBackward(y, y, y, conv.OutputSize, Activation.Relu);
        backend.BiasGradient(y, bias, 41, 5, 576);
        results.AddRange([Get(backend, y), Get(backend, bias)]);

        // An arena that ends in a partial vector.
        var arena = conv.InputSize - 7;
        Tensor m = backend.Allocate(arena).All, v = backend.Allocate(arena).All;
        backend.AdamStep(x.Slice(0, arena), dx.Slice(0, arena), m, v, new AdamHyper(1e-2, 1));
        results.AddRange([Get(backend, x), Get(backend, m), Get(backend, v)]);
        return [.. results];
    }

    [Fact]
    public void A_view_of_another_backend_is_rejected_by_name()
    {
        using CpuBackend mine = new(threads: 1), other = new(threads: 1);
        var foreign = other.Allocate(8).All;
        var ex = Assert.Throws<ArgumentException>(() => mine.Fill(foreign, 1f));
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() =>
            mine.Gemm(new GemmShape(2, 2, 2), 1f, mine.Allocate(4).All, foreign, 0f, mine.Allocate(4).All));
        Assert.Equal("b", ex.ParamName);
    }

    [Fact]
    public void Length_mismatches_are_rejected_with_both_lengths()
    {
        using var backend = new CpuBackend(threads: 1);
        var ex = Assert.Throws<ArgumentException>(() => backend.Upload(new float[5], backend.Allocate(6).All));
        Assert.Contains("6 elements but the source span has 5", ex.Message, StringComparison.Ordinal);

        Tensor p = backend.Allocate(10).All, g = backend.Allocate(9).All;
        ex = Assert.Throws<ArgumentException>(() => backend.SgdStep(p, g, backend.Allocate(10).All, new SgdHyper(0.1)));
        Assert.Equal("gradients", ex.ParamName);
        Assert.Contains("9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_outside_the_classes_are_rejected_instead_of_read_out_of_bounds()
    {
        using var backend = new CpuBackend(threads: 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => backend.SoftmaxCrossEntropy(
            backend.Allocate(6).All, Put(backend, [1f, 3f]), 2, 3, 1f, backend.Allocate(6).All, backend.Allocate(2).All));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_buffer_cannot_be_used()
    {
        using var backend = new CpuBackend(threads: 1);
        var buffer = backend.Allocate(4);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => backend.Fill(buffer.All, 1f));
    }
}
