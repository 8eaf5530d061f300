return await ArchGan.Cli.Commands.ArchGanCommand.RunAsync(args);
