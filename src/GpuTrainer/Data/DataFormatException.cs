namespace GpuTrainer.Data;

/// <summary>
/// A data file or directory is missing or malformed. The message is one sentence that names the file (or the
/// directory and the expected file names) and the problem, fit to show a user as it is.
/// </summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException()
    {
    }

    public DataFormatException(string message)
        : base(message)
    {
    }

    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
