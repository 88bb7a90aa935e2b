namespace GpuTrainer.Data.Download;

/// <summary>No mirror delivered a file (HTTP error, refused or dropped connection); no file under the final name was written.</summary>
public sealed class DownloadFailedException(string message, Exception? inner = null) : IOException(message, inner);
