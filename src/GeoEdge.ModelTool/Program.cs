using GeoEdge.ModelTool.Cli;

return CommandLine.Run(args, Console.Out, Console.Error);
