using System.Device.Gpio;

namespace GeoEdge.Sensors.Gpio;

/// <summary>Wiring of a capture trigger input (device config gpio.captureTriggerPin).</summary>
/// <param name="Pin">GPIO line of the trigger (logical numbering of the controller).</param>
/// <param name="Debounce">Rising edges closer than this to the last accepted one are contact bounce and ignored.</param>
/// <param name="InputMode">Input, InputPullDown (default: a button to 3.3 V) or InputPullUp.</param>
public sealed record CaptureTriggerOptions(int Pin, TimeSpan Debounce, PinMode InputMode = PinMode.InputPullDown);
