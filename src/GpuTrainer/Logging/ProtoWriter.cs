using System.Buffers.Binary;
using System.Text;

namespace GpuTrainer.Logging;

/// <summary>
/// Just enough protobuf wire-format encoding for TensorBoard events: varints, 64/32-bit fixed
/// fields and length-delimited fields (https://protobuf.dev/programming-guides/encoding/).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    /// <summary>Bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);

    /// <summary>Forgets everything written, keeping the buffer for reuse.</summary>
    public void Clear() => _buffer.SetLength(0);

    /// <summary>Field of wire type 1 (double).</summary>
    public void Double(int field, double value)
    {
        Tag(field, ProtoWireType.Fixed64);
        Span<byte> bytes = stackalloc byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    /// <summary>Field of wire type 5 (float).</summary>
    public void Float(int field, float value)
    {
        Tag(field, ProtoWireType.Fixed32);
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    /// <summary>Field of wire type 0 (int64: negative values take ten bytes, as protobuf specifies).</summary>
    public void Int64(int field, long value)
    {
        Tag(field, ProtoWireType.Varint);
        Varint((ulong)value);
    }

    /// <summary>Length-delimited UTF-8 string field.</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>Length-delimited field holding <paramref name="value"/> (an embedded message or raw bytes).</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, ProtoWireType.LengthDelimited);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    private void Tag(int field, ProtoWireType wireType) => Varint(((ulong)field << 3) | (ulong)wireType);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
