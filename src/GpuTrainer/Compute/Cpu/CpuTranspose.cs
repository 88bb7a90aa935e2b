using System.Runtime.Intrinsics;

namespace GpuTrainer.Compute.Cpu;

/// <summary>Matrix transposes through 8x8 squares transposed in registers (<see cref="CpuConvDirect.StoreTransposed(float*, long, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float}, Vector256{float})"/>).</summary>
internal static unsafe class CpuTranspose
{
    private const int Lanes = 8;

    /// <summary>
    /// dst[c*ldDst + r] = src[r*ldSrc + c] for r &lt; <paramref name="rows"/>, c &lt; <paramref name="cols"/>: whole 8x8
    /// squares in registers, the columns and rows past the last whole square one element at a time.
    /// </summary>
    public static void Matrix(float* src, long ldSrc, float* dst, long ldDst, int rows, int cols)
    {
        int wholeRows = rows - (rows % Lanes), wholeCols = cols - (cols % Lanes);
        for (var r0 = 0; r0 < wholeRows; r0 += Lanes)
        {
            var from = src + (r0 * ldSrc);
            for (var c0 = 0; c0 < wholeCols; c0 += Lanes)
            {
                CpuConvDirect.StoreTransposed(
                    dst + (c0 * ldDst) + r0, ldDst, Vector256.Load(from + c0), Vector256.Load(from + ldSrc + c0),
                    Vector256.Load(from + (2 * ldSrc) + c0), Vector256.Load(from + (3 * ldSrc) + c0), Vector256.Load(from + (4 * ldSrc) + c0),
                    Vector256.Load(from + (5 * ldSrc) + c0), Vector256.Load(from + (6 * ldSrc) + c0), Vector256.Load(from + (7 * ldSrc) + c0));
            }

            for (var c = wholeCols; c < cols; c++)
            {
                for (var r = r0; r < r0 + Lanes; r++)
                {
                    dst[(c * ldDst) + r] = src[(r * ldSrc) + c];
                }
            }
        }

        for (var r = wholeRows; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                dst[(c * ldDst) + r] = src[(r * ldSrc) + c];
            }
        }
    }
}
