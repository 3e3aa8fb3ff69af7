// geoedge-fleet: the fleet server. The composition lives in FleetServerApp so tests start the same server on 127.0.0.1.
WebApplication app = WebApplication.CreateSlimBuilder(args).Build();
await app.RunAsync().ConfigureAwait(false);
