using GpuTrainer.Training;

namespace GpuTrainer.Diagnostics;

/// <summary><see cref="CheckSize"/> by name, as selftest's and gpubench's --size spells it.</summary>
public static class CheckSizeNames
{
    /// <summary>The size the device checks use unless told otherwise.</summary>
    public const string Default = "full";

    /// <summary>"small" or "full" (trimmed, case-insensitive); another name throws an <see cref="OptionsException"/>.</summary>
    public static CheckSize Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "small" => CheckSize.Small,
        "full" => CheckSize.Full,
        _ => throw new OptionsException($"Unknown --size '{name}'; use small or full."),
    };
}
