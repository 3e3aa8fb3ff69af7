// geoedge-fleet: the fleet server. The composition lives in Server/FleetServerApp so tests start the same server on
// 127.0.0.1; the verbs are in Cli/FleetCommandLine.
return await GeoEdge.FleetServer.Cli.FleetCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
