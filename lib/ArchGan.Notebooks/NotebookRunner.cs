using System.Diagnostics;

namespace ArchGan.Notebooks;

/// <summary>
/// Runs .NET Interactive notebooks headlessly in the real kernel: a <see cref="KernelProcess"/>
/// (<c>dotnet interactive stdio</c>, the dotnet-interactive tool of the repository's tool manifest) per
/// notebook, one SubmitCode command per code cell, in order, as a reader who presses "Run All" in VS Code after a
/// restart. Outputs are saved in the shape Polyglot Notebooks saves them.
/// </summary>
/// <remarks>
/// <para>
/// The kernel's events become nbformat outputs: a cell's value an execute_result, a display a display_data that
/// later updates (by value id) replace in place, console text stdout and stderr streams, and a failure an error
/// output, after which the notebook stops (later cells stay without outputs). The kernel's working directory is
/// the notebook's folder, so relative paths (<c>#r "../lib/..."</c>) resolve as in VS Code and Jupyter.
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
/// Cancelling a run sends the kernel a Cancel command, as Stop does in VS Code: the running cell's cancellation
/// token fires (training saves a checkpoint and stops at its next batch), and the runner waits for the cell's
/// code to return before it ends the kernel, so that checkpoint is written whole.
/// </para>
/// </remarks>
public sealed class NotebookRunner
{
    /// <summary>The papermill tag of the cell with the parameters' defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The papermill tag of the cell the runner inserts with overrides.</summary>
    public const string InjectedParametersTag = "injected-parameters";

    /// <summary>Raised as notebooks and cells start and finish, on the thread running the notebook.</summary>
    public event EventHandler<NotebookProgressEventArgs>? Progress;

    /// <summary>
    /// Runs one notebook in a kernel of its own. Throws <see cref="NotebookFormatException"/> (naming the file) when
    /// it is not a valid notebook and <see cref="KernelException"/> when the kernel cannot start; a failing cell does
    /// not throw but is reported in the result and in the written notebook.
    /// </summary>
    public Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(path, options, kernel: null, cancellationToken);

    /// <summary>
    /// Runs one notebook in <paramref name="kernel"/>, which keeps its state afterwards (the variables, loaded
    /// packages and displays of every cell), as when a reader runs the notebook's cells again without a restart.
    /// A null kernel means a fresh one, ended afterwards.
    /// </summary>
    public async Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions? options, KernelProcess? kernel, CancellationToken cancellationToken = default)
    {
        options ??= new NotebookRunOptions();
        Validate(options);
        var notebook = Notebook.Load(path);
        // Resolved now, against the caller's directory, not the notebook's.
        var outputPath = options.InPlace
            ? notebook.Path
            : options.OutputDirectory is { } folder ? Path.Combine(Path.GetFullPath(folder), Path.GetFileName(notebook.Path)) : null;
        return await RunInKernelAsync(notebook, options, outputPath, kernel, cancellationToken).ConfigureAwait(false);
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
            if (cancellationToken.IsCancellationRequested) break;
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

    private async Task<NotebookRunResult> RunInKernelAsync(Notebook notebook, NotebookRunOptions options, string? outputPath, KernelProcess? sharedKernel, CancellationToken cancellationToken)
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
        // Like "clear outputs, run all": a cell that does not get to run shows nothing stale.
        foreach (var cell in cells.Where(c => c.IsCode))
        {
            cell.ClearOutputs();
        }
        OnProgress(new NotebookProgressEventArgs(path, -1, cells.Count, NotebookProgressStatus.NotebookStarted, TimeSpan.Zero));

        var kernel = sharedKernel ?? await KernelProcess.StartAsync(Path.GetDirectoryName(path)!, cancellationToken: cancellationToken).ConfigureAwait(false);
        var ran = new List<(NotebookCell Cell, CellOutputs Outputs, int Count)>();
        // A display keeps its place and takes the data of its updates, even from a later cell, as in VS Code.
        var displays = new Dictionary<string, CellOutput>(StringComparer.Ordinal);
        int? failedIndex = null;
        string? error = null;
        var cancelled = false;
        var executionCount = 0;
        try
        {
            for (var index = 0; index < cells.Count; index++)
            {
                var cell = cells[index];
                if (!cell.IsCode) continue;
                if (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellStarted, TimeSpan.Zero));
                var outputs = new CellOutputs();
                executionCount++;
                ran.Add((cell, outputs, executionCount));
                var cellWatch = Stopwatch.StartNew();
                var result = await kernel.SubmitCodeAsync(cell.Source, cell.MetadataKernelName ?? notebook.DefaultKernelName,
                    e => Record(e, outputs, displays, notes, index), cancellationToken).ConfigureAwait(false);
                if (result.Succeeded)
                {
                    OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellSucceeded, cellWatch.Elapsed));
                    continue;
                }
                var errorOutput = ErrorOutput(result.Message ?? "The kernel reported a failure without a message.");
                outputs.Add(errorOutput);
                failedIndex = index;
                cancelled = cancellationToken.IsCancellationRequested;
                error = $"cell {index}: {errorOutput.ErrorName}: {errorOutput.ErrorValue}";
                OnProgress(new NotebookProgressEventArgs(path, index, cells.Count, NotebookProgressStatus.CellFailed, cellWatch.Elapsed, error));
                break;
            }
            if (cancelled && !await kernel.WaitUntilIdleAsync(options.CancelGrace).ConfigureAwait(false))
            {
                notes.Add($"the cancelled cell was still running {options.CancelGrace.TotalSeconds:F0} s after the kernel was told to stop");
            }
        }
        finally
        {
            if (sharedKernel is null)
            {
                await kernel.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var (cell, outputs, count) in ran)
        {
            cell.SetOutputs(outputs.ToJson(count), count);
        }
        if (outputPath is not null)
        {
            notebook.Save(outputPath);
        }

        var succeeded = failedIndex is null && !cancelled;
        error ??= cancelled ? "cancelled" : null;
        OnProgress(new NotebookProgressEventArgs(path, succeeded ? cells.Count : failedIndex ?? -1, cells.Count,
            succeeded ? NotebookProgressStatus.NotebookSucceeded : NotebookProgressStatus.NotebookFailed, stopwatch.Elapsed, error));
        return new NotebookRunResult
        {
            Path = path,
            OutputPath = outputPath,
            Succeeded = succeeded,
            Cancelled = cancelled,
            FailedCellIndex = failedIndex,
            FailedCellId = failedIndex is { } f ? cells[f].Id : null,
            ErrorMessage = error,
            Elapsed = stopwatch.Elapsed,
            ExecutedCellCount = ran.Count,
            InjectedParameters = injected,
            Notes = notes,
        };
    }

    // The user's home folder as "~" in what is saved: the kernel names the NuGet cache by its full path when it
    // loads a package's extension, and a notebook that is committed should not carry one machine's folders.
    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile).TrimEnd('/');

    private static IReadOnlyDictionary<string, string> WithoutHome(IReadOnlyDictionary<string, string> values) =>
        Home.Length < 2 ? values : values.ToDictionary(v => v.Key, v => v.Value.Replace(Home + "/", "~/", StringComparison.Ordinal), StringComparer.Ordinal);

    // What a notebook front end keeps of a cell's events: values, displays and their updates, console text.
    private static void Record(KernelEvent e, CellOutputs outputs, Dictionary<string, CellOutput> displays, List<string> notes, int index)
    {
        switch (e.Type)
        {
            case "ReturnValueProduced":
                outputs.Add(CellOutput.Result(WithoutHome(e.FormattedValues())));
                break;
            case "DisplayedValueProduced":
                var shown = outputs.Add(CellOutput.Display(WithoutHome(e.FormattedValues())));
                if (e.ValueId is { } id)
                {
                    lock (displays) displays[id] = shown;
                }
                break;
            case "DisplayedValueUpdated":
                CellOutput? target;
                lock (displays) displays.TryGetValue(e.ValueId ?? "", out target);
                if (target is not null)
                {
                    target.Replace(WithoutHome(e.FormattedValues()));
                }
                else
                {
                    // What VS Code and Jupyter do with an update of no displayed value: nothing.
                    lock (notes) notes.Add($"cell {index}: an update of a value that was never displayed was ignored");
                }
                break;
            case "StandardOutputValueProduced":
                outputs.WriteStream("stdout", WithoutHome(e.FormattedValues()).GetValueOrDefault("text/plain", ""));
                break;
            case "StandardErrorValueProduced":
                outputs.WriteStream("stderr", WithoutHome(e.FormattedValues()).GetValueOrDefault("text/plain", ""));
                break;
            case "ErrorProduced":
                outputs.WriteStream("stderr", (e.Data["message"]?.GetValue<string>() ?? "") + "\n");
                break;
        }
    }

    // The kernel's CommandFailed message is the exception's text, the compiler's diagnostics, or "Command cancelled.".
    private static CellOutput ErrorOutput(string message)
    {
        var lines = message.Replace("\r\n", "\n").Split('\n');
        var first = lines[0];
        var typed = System.Text.RegularExpressions.Regex.Match(first, @"^(?<type>[A-Za-z_][\w.]*(Exception|Error)): ?(?<text>.*)$");
        if (typed.Success)
        {
            var name = typed.Groups["type"].Value;
            return CellOutput.Error(name[(name.LastIndexOf('.') + 1)..], typed.Groups["text"].Value, lines);
        }
        var compiler = lines.Where(l => l.Contains(": error CS", StringComparison.Ordinal)).ToArray();
        if (compiler.Length > 0)
        {
            return CellOutput.Error("CompilationError", string.Join("\n", compiler), compiler);
        }
        return CellOutput.Error(first.StartsWith("Command cancelled", StringComparison.Ordinal) ? "Cancelled" : "Error", message, lines);
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
