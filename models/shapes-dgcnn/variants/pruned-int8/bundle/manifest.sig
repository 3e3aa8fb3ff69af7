{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "/kOKaWX9zUfOoMbji8XwcUs/ODnkmmYa8hsmF43Flkxww1IHrAlTsfRCpjouFZfF92/O\u002B55qus2aNb\u002BFIMXKlg=="
}