using System.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace ArchGan.Notebooks;

/// <summary>
/// Runs .NET Interactive C# notebooks headlessly, the way the kernel runs them: one Roslyn script submission
/// per code cell, in order, sharing state; default imports and <c>display(...)</c> as in the kernel; outputs
/// saved in the shape Polyglot Notebooks saves them.
/// </summary>
/// <remarks>
/// <para>
/// Per cell: <c>#!</c> lines are taken out (<c>#!time</c> appends "Wall time: ..." to stdout; a kernel
/// selector such as <c>#!fsharp</c> switches the following lines to that kernel, which this runner skips);
/// <c>#r "nuget: Name[, Version]"</c> lines are hoisted and must name a package the runner carries
/// (TorchSharp-cpu, SkiaSharp, Plotly.NET, XPlot.Plotly, ...) at the version it carries; <c>#i</c> lines are
/// ignored; <c>#r "file.dll"</c> resolves against the notebook's folder, and a file named like an assembly
/// the runner has loaded (ArchGan.dll) binds to that one. The value of a final expression without a
/// semicolon becomes an execute_result; console output becomes stdout/stderr streams; an exception becomes
/// an error output and stops the notebook (later cells stay without outputs).
/// </para>
/// <para>
/// Parameters follow papermill: the first code cell tagged <c>parameters</c> holds the defaults, and the
/// runner inserts after it a cell tagged <c>injected-parameters</c> that re-declares the overridden variables
/// (a stale injected cell from an earlier run is removed first). Values are typed after the parameters
/// cell's declarations: <c>int Epochs = 200;</c> makes "1" an int, <c>string Name = "a";</c> keeps "1" a
/// string; names it does not declare are typed from the value (int, long, double, bool, else string).
/// Smoke values come from the notebook metadata <c>"archgan": {"smoke": {"Epochs": 1}}</c>; explicit
/// parameters win over them.
/// </para>
/// <para>
/// While a notebook runs, the process's current directory is the notebook's folder (relative paths in
/// notebook code resolve as in VS Code and Jupyter) and Console.Out/Error are routed to the running cell, so
/// runs are serialized process-wide: concurrent calls wait for each other.
/// </para>
/// </remarks>
public sealed class NotebookRunner
{
    /// <summary>The papermill tag of the cell with the parameters' defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The papermill tag of the cell the runner inserts with overrides.</summary>
    public const string InjectedParametersTag = "injected-parameters";

    // Current directory and console are process state: one notebook at a time.
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>Raised as notebooks and cells start and finish, on the thread running the notebook.</summary>
    public event EventHandler<NotebookProgressEventArgs>? Progress;

    /// <summary>
    /// Runs one notebook. Throws <see cref="NotebookFormatException"/> (naming the file) when it is not a valid
    /// C# notebook; a failing cell does not throw but is reported in the result and in the written notebook.
    /// </summary>
    public async Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NotebookRunOptions();
        Validate(options);
        var notebook = Notebook.Load(path);
        // Resolved now, against the caller's directory, not the notebook's.
        var outputPath = options.InPlace
            ? notebook.Path
            : options.OutputDirectory is { } folder ? Path.Combine(Path.GetFullPath(folder), Path.GetFileName(notebook.Path)) : null;

        await s_gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunLockedAsync(notebook, options, outputPath, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            s_gate.Release();
        }
    }

    /// <summary>
    /// Runs notebooks one after another: files as given, folders as their *.ipynb files sorted by name. A
    /// notebook that fails, or is not a valid C# notebook, is reported in its result and the others still run.
    /// </summary>
    public async Task<IReadOnlyList<NotebookRunResult>> RunManyAsync(IEnumerable<string> filesOrFolders, NotebookRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new NotebookRunOptions();
        Validate(options);
        var results = new List<NotebookRunResult>();
        foreach (var file in ExpandPaths(filesOrFolders))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                results.Add(await RunAsync(file, options, cancellationToken).ConfigureAwait(false));
            }
            catch (NotebookFormatException ex)
            {
                OnProgress(new NotebookProgressEventArgs(ex.Path, -1, 0, NotebookProgressStatus.NotebookFailed, TimeSpan.Zero, ex.Message));
                results.Add(new NotebookRunResult { Path = ex.Path, Succeeded = false, ErrorMessage = ex.Message });
            }
        }
        return results;
    }

    /// <summary>The notebook files <paramref name="filesOrFolders"/> names: files as given, folders as their *.ipynb sorted by name.</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> filesOrFolders)
    {
        var files = new List<string>();
        foreach (var item in filesOrFolders)
        {
            var full = Path.GetFullPath(item);
            if (Directory.Exists(full))
            {
                files.AddRange(Directory.GetFiles(full, "*.ipynb").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(full))
            {
                files.Add(full);
            }
            else
            {
                throw new FileNotFoundException($"No notebook or folder at {full}", full);
            }
        }
        return files;
    }

    private static void Validate(NotebookRunOptions options)
    {
        if (options.InPlace && options.OutputDirectory is not null)
        {
            throw new ArgumentException("Choose either InPlace or OutputDirectory, not both.", nameof(options));
        }
    }

    private async Task<NotebookRunResult> RunLockedAsync(Notebook notebook, NotebookRunOptions options, string? outputPath, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var path = notebook.Path;
        var notes = new List<string>();

        IReadOnlyDictionary<string, string> injected;
        try
        {
            injected = InjectParameters(notebook, options, notes);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            OnProgress(new NotebookProgressEventArgs(path, -1, notebook.Cells.Count, NotebookProgressStatus.NotebookFailed, stopwatch.Elapsed, ex.Message));
            return new NotebookRunResult { Path = path, Succeeded = false, ErrorMessage = ex.Message, Elapsed = stopwatch.Elapsed, Notes = notes };
        }

        var cells = notebook.Cells;
        var defaultKernel = notebook.DefaultKernelName;
        var directives = cells.Select(c => c.IsCode ? CellDirectives.Parse(c.Source, c.MetadataKernelName ?? defaultKernel) : null).ToArray();
        foreach (var (cell, index) in cells.Select((c, i) => (c, i)))
        {
            // Like "clear outputs, run all": a cell that does not get to run shows nothing stale.
            if (directives[index] is { IsOtherKernel: false })
            {
                cell.ClearOutputs();
            }
        }
        OnProgress(new NotebookProgressEventArgs(path, -1, cells.Count, NotebookProgressStatus.NotebookStarted, TimeSpan.Zero));

        var folder = Path.GetDirectoryName(path)!;
        var ran = new List<(NotebookCell Cell, CellOutputs Outputs, int Count)>();
        int? failedIndex = null;
        string? error = null;
        var executionCount = 0;

        var previousDirectory = Environment.CurrentDirectory;
        var previousOut = Console.Out;
        var previousError = Console.Error;
        Console.SetOut(new ConsoleRouter(previousOut, "stdout"));
        Console.SetError(new ConsoleRouter(previousError, "stderr"));
        Environment.CurrentDirectory = folder;
        try
        {
            ValueFormatting.EnsureInitialized();
            var scriptOptions = ScriptEnvironment.CreateOptions(folder);
            // The kernel's hidden first submission, with this runner's helper in place of Microsoft.DotNet.Interactive.Kernel.
            ScriptState<object> state = await CSharpScript
                .Create($"using static {typeof(Kernel).FullName};", scriptOptions, globalsType: null, assemblyLoader: ScriptEnvironment.CreateAssemblyLoader())
                .RunAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

            for (var index = 0; index < cells.Count; index++)
            {
                if (directives[index] is not { } cell)
                {
                    continue;
                }
                notes.AddRange(cell.Notes.Select(n => $"cell {index}: {n}"));
                if (cell.IsOtherKernel)
                {
                    var why = $"cell {index}: not C# ({cells[index].MetadataKernelName ?? defaultKernel}); skipped";
                    notes.Add(why);
                    OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellSkipped, TimeSpan.Zero, why));
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellStarted, TimeSpan.Zero));
                var outputs = new CellOutputs();
                executionCount++;
                ran.Add((cells[index], outputs, executionCount));
                var cellWatch = Stopwatch.StartNew();
                Exception? failure = null;
                ExecutionScope.Enter(outputs);
                try
                {
                    CheckDirectives(cell, folder);
                    // Long cells (training) watch this token, as they watch the kernel's in Polyglot Notebooks.
                    ArchGan.Display.KernelCancellation.Override = cancellationToken;
                    state = await state.ContinueWithAsync(cell.Code, scriptOptions, cancellationToken).ConfigureAwait(false);
                    if (HasReturnValue(state.Script) && state.ReturnValue is { } value)
                    {
                        outputs.Add(CellOutput.Result(ValueFormatting.Format(value, null)));
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
                finally
                {
                    ExecutionScope.Exit();
                }

                if (cell.Time)
                {
                    outputs.WriteStream("stdout", $"Wall time: {cellWatch.Elapsed.TotalMilliseconds:0.####}ms\n");
                }
                if (failure is null)
                {
                    OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellSucceeded, cellWatch.Elapsed));
                    continue;
                }
                var errorOutput = ErrorOutput(failure);
                outputs.Add(errorOutput);
                failedIndex = index;
                error = $"cell {index}: {errorOutput.ErrorName}: {errorOutput.ErrorValue}";
                OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellFailed, cellWatch.Elapsed, error));
                break;
            }
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            Environment.CurrentDirectory = previousDirectory;
        }

        // Materialized only now: a display's Update() may have changed an earlier cell's output until the end.
        foreach (var (cell, outputs, count) in ran)
        {
            cell.SetOutputs(outputs.ToJson(count), count);
        }
        if (outputPath is not null)
        {
            notebook.Save(outputPath);
        }

        var succeeded = failedIndex is null;
        OnProgress(new NotebookProgressEventArgs(path, succeeded ? cells.Count : failedIndex!.Value, cells.Count,
            succeeded ? NotebookProgressStatus.NotebookSucceeded : NotebookProgressStatus.NotebookFailed, stopwatch.Elapsed, error));
        return new NotebookRunResult
        {
            Path = path,
            OutputPath = outputPath,
            Succeeded = succeeded,
            FailedCellIndex = failedIndex,
            FailedCellId = failedIndex is { } f ? cells[f].Id : null,
            ErrorMessage = error,
            Elapsed = stopwatch.Elapsed,
            ExecutedCellCount = ran.Count,
            InjectedParameters = injected,
            Notes = notes,
        };
    }

    // Roslyn knows whether a submission ends in an expression (Script.HasReturnValue) but keeps it internal.
    // Without it, a cell ending in `x;` and one ending in `x` could only be told apart by a null ReturnValue,
    // which would also show values of `x = y;`-style statements in older Roslyn versions.
    private static readonly System.Reflection.MethodInfo? s_hasReturnValue = typeof(Script).GetMethod(
        "HasReturnValue", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, Type.EmptyTypes);

    private static bool HasReturnValue(Script script) =>
        s_hasReturnValue is null || (bool)s_hasReturnValue.Invoke(script, null)!;

    private static void CheckDirectives(CellDirectives cell, string folder)
    {
        foreach (var (name, version) in cell.Packages)
        {
            CarriedPackages.Check(name, version);
        }
        foreach (var reference in cell.FileReferences.Where(NotebookMetadataResolver.LooksLikePath))
        {
            var full = Path.GetFullPath(reference, folder);
            if (!File.Exists(full))
            {
                throw new NotebookDirectiveException(
                    $"#r \"{reference}\": file not found: {full} (relative paths resolve against the notebook's folder, {folder}).");
            }
        }
    }

    private static CellOutput ErrorOutput(Exception ex)
    {
        if (ex is CompilationErrorException compilation)
        {
            var errors = compilation.Diagnostics
                .Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                .Select(d => d.ToString())
                .DefaultIfEmpty(compilation.Message)
                .ToArray();
            return CellOutput.Error(ex.GetType().Name, string.Join("\n", errors), errors);
        }
        if (ex is NotebookDirectiveException)
        {
            return CellOutput.Error(ex.GetType().Name, ex.Message, new[] { ex.Message });
        }
        return CellOutput.Error(ex.GetType().Name, ex.Message, ex.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray());
    }

    /// <summary>Replaces any stale injected cell and, when there are values, inserts a new one after the parameters cell.</summary>
    private static IReadOnlyDictionary<string, string> InjectParameters(Notebook notebook, NotebookRunOptions options, List<string> notes)
    {
        notebook.Cells.RemoveAll(c => c.HasTag(InjectedParametersTag));

        var values = new List<KeyValuePair<string, string>>();
        void Set(string name, string value)
        {
            values.RemoveAll(p => p.Key == name);
            values.Add(new(name, value));
        }
        if (options.Smoke)
        {
            if (notebook.Metadata["archgan"]?["smoke"] is System.Text.Json.Nodes.JsonObject smoke)
            {
                foreach (var (name, node) in smoke)
                {
                    Set(name, node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) ? text : node?.ToJsonString() ?? "null");
                }
            }
            else
            {
                notes.Add("smoke run requested but the notebook declares no archgan.smoke values; defaults used");
            }
        }
        foreach (var (name, value) in options.Parameters)
        {
            Set(name, value);
        }
        if (values.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var parametersIndex = notebook.Cells.FindIndex(c => c.IsCode && c.HasTag(ParametersTag));
        if (parametersIndex < 0)
        {
            throw new InvalidOperationException(
                $"{notebook.Path}: parameters given ({string.Join(", ", values.Select(v => v.Key))}) but no code cell is tagged \"{ParametersTag}\".");
        }
        var source = ParameterInjector.BuildSource(notebook.Cells[parametersIndex].Source, values, notes);
        var id = notebook.Cells.Any(c => c.Id == InjectedParametersTag) ? $"{InjectedParametersTag}-{Guid.NewGuid():N}"[..32] : InjectedParametersTag;
        notebook.Cells.Insert(parametersIndex + 1, NotebookCell.CreateCSharpCode(id, source, InjectedParametersTag));
        return values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }

    private void OnProgress(NotebookProgressEventArgs e) => Progress?.Invoke(this, e);
}
