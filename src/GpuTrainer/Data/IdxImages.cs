namespace GpuTrainer.Data;

/// <summary>The contents of an IDX images file: <paramref name="Pixels"/> (Count,Rows,Cols) grey levels, row-major.</summary>
public sealed record IdxImages(byte[] Pixels, int Count, int Rows, int Cols);
