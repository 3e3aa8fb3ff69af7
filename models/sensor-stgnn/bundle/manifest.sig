{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "Hj26HK23NGm/6PpXWT3PKukEBNqF0NE5JuMOW3lgolqV7PQFbrSteGei07P0DaHqcrbWPMDv0sq3NBrnj/mshw=="
}