namespace GeoEdge.Sensors.Gpio;

/// <summary>Wiring and timing of an alarm output (device config gpio.alarmPin, alarmActiveLow, alarmHoldMs, alarmDebounceMs).</summary>
/// <param name="Pin">GPIO line driving the alarm (logical numbering of the controller).</param>
/// <param name="ActiveLow">True when the alarm is on at a low level (open-collector sirens, relay boards).</param>
/// <param name="Hold">The alarm stays on this long after the last accepted raise; positive.</param>
/// <param name="Debounce">Raises closer than this to the last accepted raise are ignored; zero or more and at most <paramref name="Hold"/>.</param>
public sealed record AlarmOutputOptions(int Pin, bool ActiveLow, TimeSpan Hold, TimeSpan Debounce);
