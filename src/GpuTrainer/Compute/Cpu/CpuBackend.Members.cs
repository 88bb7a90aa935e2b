namespace GpuTrainer.Compute.Cpu;

/// <summary>
/// How the managed backend runs a group's members. A group of at least as many members as threads gives each thread
/// whole members; running the group layer by layer made every op stream all K members' activations through the caches
/// (a step of 16 LeNet-5 members touches 16 x 8 MB), so instead its operations are queued and run member by member:
/// at the next point that needs them done (an upload, a download, a gather into the shared batch, an operation of fewer
/// members, <see cref="Synchronize"/>, a buffer's disposal), one fork gives each thread whole members, and a member runs
/// every queued operation in call order before the next member starts, its activations still in cache. Each member's
/// operations and their arithmetic are those of its lone run, so nothing changes in the results, only the order in
/// which members interleave. Checks of the views happen at the call, so a call still throws where it did; failures
/// of the arithmetic itself (none are known) would surface at the flush.
/// </summary>
public sealed partial class CpuBackend
{
    private readonly object _queueGate = new();
    private readonly Dictionary<Type, QueuedOps> _queues = [];
    private (QueuedOps Ops, int Index)[] _queue = new (QueuedOps, int)[32];
    private int _queued, _queuedMembers;
    private bool _flushing;

    /// <summary>Operations queued for the next flush (for tests).</summary>
    internal int Queued => _queued;

    /// <summary>
    /// At least as many members as threads (and more than one thread): queued, to run member by member at the next flush.
    /// Fewer: what is queued runs first, then members one after another, each split over every thread.
    /// </summary>
    protected override void ForMembers<T>(int members, ref T op)
    {
        lock (_queueGate)
        {
            if (_parallel.Threads > 1 && members >= _parallel.Threads && !_flushing)
            {
                if (_queued > 0 && members != _queuedMembers)
                {
                    FlushLocked();
                }

                Enqueue(ref op);
                _queuedMembers = members;
                return;
            }

            FlushLocked();
        }

        for (var k = 0; k < members; k++)
        {
            op.Run(this, k);
        }
    }

    /// <summary>Runs every queued operation: one fork, each member's operations in call order on one thread.</summary>
    internal void Flush()
    {
        if (Volatile.Read(ref _queued) == 0)
        {
            return;
        }

        lock (_queueGate)
        {
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        if (_queued == 0 || _flushing)
        {
            return;
        }

        _flushing = true;
        try
        {
            var members = new QueuedMembers(this);
            _parallel.For(_queuedMembers, ref members);
        }
        finally
        {
            ClearQueue();
            _flushing = false;
        }
    }

    // Drops what is queued (the backend is going away: nothing can read the results).
    private void DropQueued()
    {
        lock (_queueGate)
        {
            ClearQueue();
        }
    }

    // Empties the queue and every op type's list (so nothing queued keeps a buffer alive).
    private void ClearQueue()
    {
        foreach (var ops in _queues.Values)
        {
            ops.Clear();
        }

        Array.Clear(_queue, 0, _queued);
        _queued = 0;
    }

    private void Enqueue<T>(ref T op)
        where T : struct, IMemberOp
    {
        if (!_queues.TryGetValue(typeof(T), out var ops))
        {
            ops = new QueuedOps<T>();
            _queues.Add(typeof(T), ops);
        }

        if (_queued == _queue.Length)
        {
            Array.Resize(ref _queue, 2 * _queue.Length);
        }

        _queue[_queued++] = (ops, ((QueuedOps<T>)ops).Add(op));
    }

    // One member's share of a flush: every queued operation on member k, in call order.
    private readonly struct QueuedMembers(CpuBackend backend) : ICpuPart
    {
        public void Run(int k)
        {
            for (var i = 0; i < backend._queued; i++)
            {
                var (ops, index) = backend._queue[i];
                ops.Run(backend, index, k);
            }
        }
    }

    // The queued operations of one op type, so a queued struct is never boxed (a warm step allocates nothing).
    private abstract class QueuedOps
    {
        public abstract void Run(MemberLoopBackend backend, int index, int k);

        public abstract void Clear();
    }

    private sealed class QueuedOps<T> : QueuedOps
        where T : struct, IMemberOp
    {
        private T[] _ops = new T[8];
        private int _count;

        public int Add(in T op)
        {
            if (_count == _ops.Length)
            {
                Array.Resize(ref _ops, 2 * _ops.Length);
            }

            _ops[_count] = op;
            return _count++;
        }

        public override void Run(MemberLoopBackend backend, int index, int k) => _ops[index].Run(backend, k);

        public override void Clear()
        {
            Array.Clear(_ops, 0, _count);
            _count = 0;
        }
    }
}
