using GpuTrainer.Compute;

namespace GpuTrainer.Nn;

/// <summary>
/// LeNet-5 as in the reference study (PyTorch):
/// (N,1,28,28) conv 1->6 5x5 pad 2 + ReLU -> (N,6,28,28) max-pool 2 -> (N,6,14,14)
/// conv 6->16 5x5 + ReLU -> (N,16,10,10) max-pool 2 -> (N,16,5,5) flatten -> (N,400)
/// linear 400->120 + ReLU -> linear 120->84 + ReLU -> linear 84->10 (logits). 61,706 parameters.
/// </summary>
public static class LeNet5
{
    public const int ParameterCount = 61_706;
    public const int Classes = 10;

    /// <summary>LeNet-5 with one member per seed (a lone model: one seed), member k initialised from seeds[k], for square inputs of <paramref name="inputSize"/>.</summary>
    public static Model Create(IBackend backend, int maxBatch, IReadOnlyList<int> seeds, int inputSize = 28)
    {
        var model = new Model(backend, InputShape(inputSize), maxBatch, Layers(inputSize), seeds.Count);
        for (var k = 0; k < seeds.Count; k++)
        {
            model.Initialize(k, seeds[k]);
        }

        return model;
    }

    /// <summary>The input shape (1, inputSize, inputSize).</summary>
    public static SampleShape InputShape(int inputSize = 28) => new(1, inputSize, inputSize);

    /// <summary>A fresh, unconnected set of LeNet-5's layers for square inputs of <paramref name="inputSize"/>: the lenet5 preset of <see cref="ModelDescription"/>.</summary>
    public static Layer[] Layers(int inputSize = 28) => ModelDescription.LeNet5.Build(InputShape(inputSize), Classes);
}
