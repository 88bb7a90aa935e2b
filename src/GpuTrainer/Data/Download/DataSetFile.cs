namespace GpuTrainer.Data.Download;

/// <summary>One file of a published data set, as it is served: its name, its length and its SHA-256.</summary>
/// <param name="Name">File name, e.g. "train-images-idx3-ubyte.gz"; appended to each mirror's address.</param>
/// <param name="Bytes">Its exact length in bytes.</param>
/// <param name="Sha256">Its SHA-256, 64 lower-case hex digits.</param>
public sealed record DataSetFile(string Name, long Bytes, string Sha256);
