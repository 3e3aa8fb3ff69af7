{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "KqS3NOeRb/d80rTbjL3MLwrLlozwXUURyLGRJ2jrW5sEivRi6GESlILD81dYopg1wQ6Yf0nNpMIXdmgF6AP1HA=="
}