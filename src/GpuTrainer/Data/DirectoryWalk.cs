namespace GpuTrainer.Data;

/// <summary>Finds a directory by walking up from a starting point.</summary>
internal static class DirectoryWalk
{
    /// <summary>
    /// The first directory, from <paramref name="start"/> up to the file-system root, for which
    /// <paramref name="match"/> is true; null when none is.
    /// </summary>
    public static string? FindAncestor(string start, Func<string, bool> match)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (match(directory.FullName))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
