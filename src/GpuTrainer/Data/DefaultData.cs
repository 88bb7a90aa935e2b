namespace GpuTrainer.Data;

/// <summary>Finds the embedded default data set, data/mnist-sample, at run time.</summary>
public static class DefaultData
{
    /// <summary>Location of the default data set relative to the repository root.</summary>
    public static readonly string RelativePath = Path.Combine("data", "mnist-sample");

    /// <summary>
    /// The full path of data/mnist-sample, found by walking up from the application's base directory and then
    /// from the current directory; a <see cref="DataFormatException"/> when neither walk finds it.
    /// </summary>
    public static string Locate()
    {
        string[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory()];
        foreach (var start in starts)
        {
            var root = DirectoryWalk.FindAncestor(start, directory => Directory.Exists(Path.Combine(directory, RelativePath)));
            if (root is not null)
            {
                return Path.Combine(root, RelativePath);
            }
        }

        throw new DataFormatException(
            $"The default data set {RelativePath} was not found above {starts[0]} or {starts[1]}; give a data directory explicitly.");
    }
}
