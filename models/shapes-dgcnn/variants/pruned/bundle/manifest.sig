{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "cMKNoPrmlsjKNK3MUSHjYlSBD4me93gBm6WonBC67jRAS/IpvpmaH5H8o9lmrZleMSZClD8HNV9J2Yij3fK2aw=="
}