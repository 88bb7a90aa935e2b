namespace GpuTrainer.Compute;

/// <summary>
/// The requested device (e.g. <c>--device cuda</c>) does not exist on this machine. The message is one
/// sentence naming what was asked for and what was seen, fit to show the user as it is.
/// </summary>
public sealed class DeviceNotFoundException : Exception
{
    public DeviceNotFoundException()
        : base("The requested device was not found.")
    {
    }

    public DeviceNotFoundException(string message)
        : base(message)
    {
    }

    public DeviceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
