using System.Buffers.Binary;
using System.Text;
using GpuTrainer.Logging;

namespace GpuTrainer.Tests.Logging;

/// <summary>
/// Reads protobuf wire format field by field: <see cref="Next"/> yields each key, then exactly one of
/// the Read methods or <see cref="Skip"/> consumes its value. Unknown fields of every wire type,
/// groups included, are skipped as the specification describes. Malformed input throws
/// <see cref="InvalidDataException"/> with the offset inside the message.
/// </summary>
internal ref struct ProtoReader
{
    private const int MaxGroupDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads the message <paramref name="data"/>.</summary>
    public ProtoReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>Field number of the current field.</summary>
    public int Field { get; private set; }

    /// <summary>Wire type of the current field.</summary>
    public ProtoWireType WireType { get; private set; }

    /// <summary>Advances to the next field key; false at the end of the message.</summary>
    public bool Next()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        ReadKey();
        if (WireType == ProtoWireType.EndGroup)
        {
            throw Malformed($"an end-group marker for field {Field} without its start");
        }

        return true;
    }

    /// <summary>Value of a varint field as int64 (two's complement, as protobuf's int64).</summary>
    public long ReadInt64()
    {
        Expect(ProtoWireType.Varint);
        return (long)ReadVarint();
    }

    /// <summary>Value of a fixed64 field as a double.</summary>
    public double ReadDouble()
    {
        Expect(ProtoWireType.Fixed64);
        return BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));
    }

    /// <summary>Value of a fixed32 field as a float.</summary>
    public float ReadFloat()
    {
        Expect(ProtoWireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float)));
    }

    /// <summary>Value of a length-delimited field as UTF-8 text.</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Value of a length-delimited field: raw bytes or an embedded message.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        Expect(ProtoWireType.LengthDelimited);
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Malformed($"field {Field} declares {length} bytes but only {_data.Length - _position} remain");
        }

        return Take((int)length);
    }

    /// <summary>Consumes the current field's value whatever its wire type.</summary>
    public void Skip() => Skip(depth: 0);

    private void Skip(int depth)
    {
        switch (WireType)
        {
            case ProtoWireType.Varint:
                ReadVarint();
                break;
            case ProtoWireType.Fixed64:
                Take(8);
                break;
            case ProtoWireType.Fixed32:
                Take(4);
                break;
            case ProtoWireType.LengthDelimited:
                ReadBytes();
                break;
            case ProtoWireType.StartGroup:
                SkipGroup(Field, depth);
                break;
            default:
                throw Malformed($"field {Field} has unknown wire type {(int)WireType}");
        }
    }

    private void SkipGroup(int groupField, int depth)
    {
        if (depth >= MaxGroupDepth)
        {
            throw Malformed($"groups nested deeper than {MaxGroupDepth}");
        }

        while (true)
        {
            if (_position >= _data.Length)
            {
                throw Malformed($"group {groupField} is not closed");
            }

            ReadKey();
            if (WireType == ProtoWireType.EndGroup)
            {
                if (Field != groupField)
                {
                    throw Malformed($"group {groupField} is closed by an end-group marker for field {Field}");
                }

                return;
            }

            Skip(depth + 1);
        }
    }

    private void ReadKey()
    {
        var key = ReadVarint();
        var field = key >> 3;
        if (field is 0 or > int.MaxValue >> 3)
        {
            throw Malformed($"invalid field number {field}");
        }

        Field = (int)field;
        WireType = (ProtoWireType)(key & 7);
    }

    private void Expect(ProtoWireType wireType)
    {
        if (WireType != wireType)
        {
            throw Malformed($"field {Field} has wire type {WireType}, expected {wireType}");
        }
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Malformed("a varint longer than ten bytes");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Malformed($"field {Field} runs past the end of the message");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private readonly InvalidDataException Malformed(string what) =>
        new($"Malformed protobuf message: {what} (at byte {_position} of {_data.Length}).");
}
