using System.Buffers.Binary;
using GpuTrainer.Logging;
using Xunit;

namespace GpuTrainer.Tests.Logging;

public sealed class TensorBoardEventTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

    [Fact]
    public void FileNameFollowsTensorBoardConvention()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBoardEventWriter(dir.Path, new FakeClock(Start));

        Assert.Equal($"events.out.tfevents.1700000000.{Environment.MachineName}", Path.GetFileName(writer.FilePath));
    }

    [Fact]
    public void SecondWriterInSameSecondGetsSuffixAndLeavesFirstIntact()
    {
        using var dir = new TempDirectory();
        using var first = new TensorBoardEventWriter(dir.Path, new FakeClock(Start));
        using var second = new TensorBoardEventWriter(dir.Path, new FakeClock(Start));

        Assert.Equal(first.FilePath + ".1", second.FilePath);
    }

    [Fact]
    public void RoundTripKeepsEveryTagStepAndValue()
    {
        using var dir = new TempDirectory();
        var clock = new FakeClock(Start);
        var expected = new List<TensorBoardScalar>();
        string path;
        using (var writer = new TensorBoardEventWriter(dir.Path, clock))
        {
            path = writer.FilePath;
            float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue];
            for (var step = 0L; step < 40; step++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(125));
                var wall = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
                var loss = step < special.Length ? special[step] : 2.3f / (step + 1);
                writer.Scalar(MetricTags.LossTrain, step, loss);
                writer.Scalar(MetricTags.LrTrain, step, 1e-3 * step);
                expected.Add(new(wall, step, MetricTags.LossTrain, loss));
                expected.Add(new(wall, step, MetricTags.LrTrain, (float)(1e-3 * step)));
            }

            writer.Scalar(MetricTags.AccuracyTest, long.MaxValue, 0.9871);
            writer.Scalar("ünïcode/tag", -5, 1.0);
            var lastWall = (clock.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;
            expected.Add(new(lastWall, long.MaxValue, MetricTags.AccuracyTest, 0.9871f));
            expected.Add(new(lastWall, -5, "ünïcode/tag", 1f));
        }

        var events = TensorBoardEventReader.ReadEvents(path);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(Start.ToUnixTimeMilliseconds() / 1000.0, events[0].WallTime);
        Assert.Empty(events[0].Scalars);
        Assert.All(events.Skip(1), e => Assert.Single(e.Scalars));

        var scalars = TensorBoardEventReader.ReadScalars(path);
        Assert.Equal(expected.Count, scalars.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Tag, scalars[i].Tag);
            Assert.Equal(expected[i].Step, scalars[i].Step);
            Assert.Equal(expected[i].WallTime, scalars[i].WallTime, 6);
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i].Value), BitConverter.SingleToInt32Bits(scalars[i].Value));
        }

        VerifyFramingIndependently(File.ReadAllBytes(path), expectedRecords: events.Count);
    }

    [Fact]
    public void ScalarEventMatchesHandEncodedProtobuf()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardEventWriter(dir.Path, new FakeClock(DateTimeOffset.FromUnixTimeMilliseconds(1500))))
        {
            path = writer.FilePath;
            writer.Scalar("a", 3, 2.0);
        }

        byte[] expected =
        [
            0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,       // wall_time (1, fixed64) = 1.5
            0x10, 0x03,                               // step (2, varint) = 3
            0x2A, 10,                                 // summary (5, length-delimited), 10 bytes
            0x0A, 8,                                  //   value (1, length-delimited), 8 bytes
            0x0A, 1, (byte)'a',                       //     tag (1) = "a"
            0x15, 0, 0, 0, 0x40,                      //     simple_value (2, fixed32) = 2.0f
        ];
        var records = VerifyFramingIndependently(File.ReadAllBytes(path), expectedRecords: 2);
        Assert.Equal(expected, records[1]);
    }

    [Fact]
    public void UnknownFieldsOfEveryWireTypeAreSkipped()
    {
        using var dir = new TempDirectory();
        byte[] value = [0x0A, 1, (byte)'x', 0x15, 0, 0, 0x80, 0x3F, 0x42, 2, 0xFF, 0xFF, 0x48, 0x96, 0x01];
        byte[] summary = [0x0A, (byte)value.Length, .. value, 0x12, 0];
        byte[] payload =
        [
            0x3D, 1, 2, 3, 4,                 // field 7, fixed32: unknown
            0x23, 0x08, 0x01, 0x24,           // field 4, group holding a varint: unknown
            0x10, 0x07,                       // step = 7
            0x51, 1, 2, 3, 4, 5, 6, 7, 8,     // field 10, fixed64: unknown
            0x2A, (byte)summary.Length, .. summary,
            0x60, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, // field 12, ten-byte varint: unknown
        ];
        var path = dir.File("events.out.tfevents.0.test");
        using (var stream = File.Create(path))
        {
            TfRecord.Write(stream, payload);
        }

        var scalar = Assert.Single(TensorBoardEventReader.ReadScalars(path));
        Assert.Equal(new TensorBoardScalar(0, 7, "x", 1f), scalar);
    }

    [Fact]
    public void CorruptByteIsReportedWithFileAndRecordOffset()
    {
        using var dir = new TempDirectory();
        var path = WriteSample(dir, scalars: 3);
        var bytes = File.ReadAllBytes(path);
        var records = VerifyFramingIndependently(bytes, expectedRecords: 4);
        var thirdRecordOffset = records.Take(2).Sum(r => 16 + r.Length);
        bytes[thirdRecordOffset + 20] ^= 0x04;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.ReadEvents(path));
        Assert.Equal(
            $"The TensorBoard event file '{path}' is corrupt: the CRC of its payload does not match (record at byte {thirdRecordOffset}).",
            error.Message);
    }

    [Fact]
    public void CorruptLengthIsReported()
    {
        using var dir = new TempDirectory();
        var path = WriteSample(dir, scalars: 1);
        var bytes = File.ReadAllBytes(path);
        bytes[1] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.ReadEvents(path));
        Assert.Contains("the CRC of its length field does not match (record at byte 0)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(20)]
    public void TruncatedFileIsReported(int bytesCut)
    {
        using var dir = new TempDirectory();
        var path = WriteSample(dir, scalars: 2);
        var bytes = File.ReadAllBytes(path);
        var lastRecordOffset = bytes.Length - VerifyFramingIndependently(bytes, expectedRecords: 3)[2].Length - 16;
        File.WriteAllBytes(path, bytes[..^bytesCut]);

        var error = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.ReadEvents(path));
        Assert.StartsWith($"The TensorBoard event file '{path}' is truncated", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(record at byte {lastRecordOffset}).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedEventIsReported()
    {
        using var dir = new TempDirectory();
        var path = dir.File("events.out.tfevents.0.bad");
        using (var stream = File.Create(path))
        {
            TfRecord.Write(stream, [0x2A, 0x05, 0x0A]);
        }

        var error = Assert.Throws<InvalidDataException>(() => TensorBoardEventReader.ReadEvents(path));
        Assert.StartsWith($"The TensorBoard event file '{path}' has an invalid Event in the record at byte 0: Malformed protobuf message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseAfterDisposeThrows()
    {
        using var dir = new TempDirectory();
        var writer = new TensorBoardEventWriter(dir.Path, new FakeClock(Start));
        writer.Dispose();
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.Scalar("a", 0, 1));
    }

    private static string WriteSample(TempDirectory dir, int scalars)
    {
        using var writer = new TensorBoardEventWriter(dir.Path, new FakeClock(Start));
        for (var i = 0; i < scalars; i++)
        {
            writer.Scalar(MetricTags.LossTrain, i, 1.0 / (i + 1));
        }

        return writer.FilePath;
    }

    /// <summary>Splits TFRecord framing with the bitwise CRC-32C, asserting every length and payload CRC; returns the payloads.</summary>
    private static List<byte[]> VerifyFramingIndependently(byte[] file, int expectedRecords)
    {
        static uint Masked(ReadOnlySpan<byte> data)
        {
            var crc = BitwiseCrc.Reflected32(data, BitwiseCrc.Crc32CPolynomial);
            return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
        }

        var payloads = new List<byte[]>();
        var offset = 0;
        while (offset < file.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(offset));
            Assert.Equal(Masked(file.AsSpan(offset, 8)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 8)));
            var payload = file.AsSpan(offset + 12, length);
            Assert.Equal(Masked(payload), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 12 + length)));
            payloads.Add(payload.ToArray());
            offset += 16 + length;
        }

        Assert.Equal(file.Length, offset);
        Assert.Equal(expectedRecords, payloads.Count);
        return payloads;
    }
}
