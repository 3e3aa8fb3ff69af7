{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "yTkQmO7a7Mzx9m14lWFdCDVD/f8OeoC9HWtMzacHXHGO4iC24ysfZqpPcigp888ddjJSVWY4dDZwLADotlNa8A=="
}