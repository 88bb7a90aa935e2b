using GpuTrainer.Data;

namespace GpuTrainer.Tests;

/// <summary>Paths inside the repository, found by walking up from the test binaries to the folder holding GpuTrainer.sln.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder containing GpuTrainer.sln).</summary>
    public static string Root { get; } =
        DirectoryWalk.FindAncestor(AppContext.BaseDirectory, directory => File.Exists(Path.Combine(directory, "GpuTrainer.sln")))
        ?? throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains GpuTrainer.sln.");

    /// <summary>The embedded default data set, data/mnist-sample.</summary>
    public static string MnistSample => Path.Combine(Root, DefaultData.RelativePath);
}
