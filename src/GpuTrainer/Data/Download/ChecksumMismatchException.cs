namespace GpuTrainer.Data.Download;

/// <summary>A file's bytes do not have the published SHA-256; the bad bytes were deleted (or, for an existing file, left untouched).</summary>
public sealed class ChecksumMismatchException(string message) : IOException(message);
