{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "NQ7V48lz36CwHP\u002BEadKzzZrnjPtczD9CR8GuKxX3RpzzBulNO6OAAv8irgnyM72f3tixel1\u002BGMzgoWri2RZQdw=="
}