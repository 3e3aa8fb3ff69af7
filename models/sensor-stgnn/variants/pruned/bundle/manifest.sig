{
  "algorithm": "ECDSA-P256-SHA256",
  "keyId": "7ea841fa393b6b6d1ed33a5b4fa4d9be",
  "signature": "5ZAU/sTyk\u002B/OGNjvyrwZEPdsqXnxVDyxWGjmkaVCtKQp4EZI6\u002Bg5dYL9BmxN6aE0DsQJUeAArl9E4JESsea4OA=="
}