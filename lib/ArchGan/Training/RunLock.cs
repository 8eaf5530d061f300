using System.Diagnostics;
using System.Globalization;
using ArchGan.IO;

namespace ArchGan.Training;

/// <summary>
/// One trainer per run folder: an operating-system lock on <c>.lock</c> in the folder, held from the moment a
/// trainer with that folder is built until it is disposed. Two processes resuming one run both wrote
/// checkpoints and rotated backups in the same folder; now the second is refused with the first's process id.
/// The lock belongs to the open file, so the system drops it when the process ends, however it ends: a killed
/// run never blocks the next. Reading a run (sampling, evaluating) takes no lock.
/// </summary>
/// <remarks>
/// <para>Within one process the lock passes from trainer to trainer: a notebook that runs its "new trainer" cell
/// again builds a second trainer on the folder while the first still exists. The new one takes the lock over and
/// the old one loses it (its <see cref="Holds"/> turns false and its <see cref="Training"/> is refused), unless the
/// old one is inside Train() at that moment: then the new one is refused, as two trainers would write at once.</para>
/// <para>The holder's process id goes to <c>.lock.pid</c> beside the lock, not into <c>.lock</c>: .NET locks every
/// file it opens, so the refused process could not read the locked file. Neither file is deleted: a lock file
/// deleted while another process opens it would let two processes hold two files of one name.</para>
/// </remarks>
internal sealed class RunLock : IDisposable
{
    /// <summary>The file that is locked, in the run folder.</summary>
    public const string FileName = ".lock";

    /// <summary>The holder's process id, beside the lock.</summary>
    public const string HolderFileName = ".lock.pid";

    // This process's locks, by the run folder's full path: the operating system's lock is per open file, so a
    // second trainer of this process could not take it again, and takes the open file over instead.
    private static readonly Dictionary<string, Held> Locks =
        new(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly Held held;
    private readonly string key;
    private bool disposed;

    private RunLock(string directory, string key, Held held)
    {
        Directory = directory;
        this.key = key;
        this.held = held;
    }

    /// <summary>The run folder, as given.</summary>
    public string Directory { get; }

    /// <summary>False once another trainer of this process has taken the folder over, or once disposed.</summary>
    public bool Holds
    {
        get { lock (Locks) return !disposed && held.Owner == this; }
    }

    /// <summary>Locks <paramref name="runDirectory"/>, creating it if need be, or takes this process's lock on it over.</summary>
    /// <exception cref="RunInUseException">Another process holds it, or a trainer of this process is training in it.</exception>
    public static RunLock Take(string runDirectory)
    {
        var key = Path.GetFullPath(runDirectory);
        lock (Locks)
        {
            if (Locks.TryGetValue(key, out var held))
            {
                if (held.Training > 0) throw TrainingHere(runDirectory);
                var takenOver = new RunLock(runDirectory, key, held);
                held.Owner = takenOver;
                return takenOver;
            }
            System.IO.Directory.CreateDirectory(key);
            held = new Held(OpenLock(runDirectory, key, FileMode.OpenOrCreate)!);
            WriteHolder(key);
            var taken = new RunLock(runDirectory, key, held);
            held.Owner = taken;
            Locks[key] = held;
            return taken;
        }
    }

    /// <summary>
    /// Refuses now what <see cref="Take"/> would refuse, without keeping the lock: for a host to learn before
    /// minutes of loading images that the run is in use. <see cref="Take"/> still decides.
    /// </summary>
    /// <exception cref="RunInUseException">Another process holds it, or a trainer of this process is training in it.</exception>
    public static void ThrowIfHeld(string runDirectory)
    {
        var key = Path.GetFullPath(runDirectory);
        lock (Locks)
        {
            if (Locks.TryGetValue(key, out var held))
            {
                if (held.Training > 0) throw TrainingHere(runDirectory);
                return;
            }
            // No lock file: no trainer has held the folder yet, and none holds it now.
            if (!File.Exists(Path.Combine(key, FileName))) return;
            OpenLock(runDirectory, key, FileMode.Open)?.Dispose();
        }
    }

    /// <summary>
    /// Marks the holder as training until the result is disposed: meanwhile another trainer of this process is
    /// refused the folder instead of taking it over.
    /// </summary>
    /// <exception cref="RunInUseException">A newer trainer of this process has taken the folder over.</exception>
    public IDisposable Training()
    {
        lock (Locks)
        {
            if (disposed || held.Owner != this)
                throw new RunInUseException(Directory, Environment.ProcessId,
                    "a newer trainer of this process took it over. Train that one, or build a new trainer; this one no longer writes there.");
            held.Training++;
            return new Scope(held);
        }
    }

    /// <summary>Releases the lock, unless another trainer of this process has taken it over.</summary>
    public void Dispose()
    {
        lock (Locks)
        {
            if (disposed) return;
            disposed = true;
            if (held.Owner != this) return;
            // While the lock is still held, so that a stale id never stands beside a new holder's lock.
            try { File.Delete(Path.Combine(key, HolderFileName)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            held.File.Dispose();
            Locks.Remove(key);
        }
    }

    private static RunInUseException TrainingHere(string runDirectory) =>
        new(runDirectory, Environment.ProcessId,
            $"a trainer of this process (process {Environment.ProcessId}) is training in it. Let its Train() return, or cancel it, before building another trainer on that folder.");

    // Null when the file is gone (only when opening an existing one).
    private static FileStream? OpenLock(string runDirectory, string key, FileMode mode)
    {
        try
        {
            // FileShare.None: on Linux and macOS .NET takes flock(LOCK_EX) on the file, on Windows it opens it
            // unshared. Either way the lock belongs to this open file and ends with the process.
            return new FileStream(Path.Combine(key, FileName), mode, FileAccess.ReadWrite, FileShare.None);
        }
        catch (FileNotFoundException) when (mode == FileMode.Open)
        {
            return null;
        }
        catch (IOException e) when (IsLocked(e))
        {
            var holder = ReadHolder(key);
            throw new RunInUseException(runDirectory, holder,
                $"{(holder is int pid ? $"process {pid}" : "another process")} has a trainer on it (training, or not yet disposed, as in a notebook's kernel until it restarts). " +
                "Wait for it to finish or stop it, then resume; reading the run (sample, evaluate) is allowed meanwhile.", e);
        }
    }

    // EWOULDBLOCK from flock on Linux (11) and macOS (35); a sharing or lock violation on Windows. Other I/O errors
    // (a full disk, a read-only folder) are not "in use" and pass as they are.
    private static bool IsLocked(IOException e) =>
        e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        && (OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult is 11 or 35);

    // Best effort: the id only names the holder in a refusal. One that cannot be written is removed, so that a
    // refusal says "another process" instead of naming an earlier holder.
    private static void WriteHolder(string key)
    {
        var path = Path.Combine(key, HolderFileName);
        try { AtomicFile.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(path); }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
        }
    }

    // The holder writes its id just after locking: a refusal in that instant may find an earlier holder's id, of
    // a process that has ended, so it looks again for a moment before giving up on a name.
    private static int? ReadHolder(string key)
    {
        var path = Path.Combine(key, HolderFileName);
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsRunning(pid))
                    return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            Thread.Sleep(50);
        }
        return null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private sealed class Held(FileStream file)
    {
        public FileStream File { get; } = file;
        public RunLock? Owner { get; set; }
        public int Training { get; set; }
    }

    private sealed class Scope(Held held) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            lock (Locks)
            {
                if (done) return;
                done = true;
                held.Training--;
            }
        }
    }
}
