namespace GpuTrainer.LrFinder;

/// <summary>The range test's curve has no band where the loss falls, so no learning rate can be suggested.</summary>
public sealed class LrBandException(string message) : Exception(message);
